"""A small MLP and one SGD training step in TensorFlow/Keras.

Shown on the page "TensorFlow and PyTorch side by side" next to
side_by_side_pytorch.py; tests/test_side_by_side.py checks that the two compute
the same outputs, loss and gradients.
"""

import keras
import tensorflow as tf


def make_mlp(n_in, n_hidden, n_out):
    """Dense(n_hidden, relu) then Dense(n_out): outputs logits [batch, n_out]."""
    return keras.Sequential(
        [
            keras.Input(shape=(n_in,)),
            keras.layers.Dense(n_hidden, activation="relu"),
            keras.layers.Dense(n_out),
        ]
    )


def train_step(model, optimizer, x, y):
    """One step of gradient descent; returns logits, loss and the gradients used."""
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    with tf.GradientTape() as tape:  # record the forward pass
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    gradients = tape.gradient(loss, model.trainable_weights)  # backward pass
    optimizer.apply_gradients(zip(gradients, model.trainable_weights, strict=True))
    return logits, loss, gradients


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    model = make_mlp(n_in=4, n_hidden=8, n_out=3)
    x = tf.random.normal([16, 4])
    y = tf.random.uniform([16], maxval=3, dtype=tf.int64)
    logits, loss, gradients = train_step(model, keras.optimizers.SGD(0.1), x, y)
    print("loss", float(loss), "kernel shape", tuple(model.trainable_weights[0].shape))
