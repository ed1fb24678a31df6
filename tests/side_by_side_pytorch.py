"""The same MLP and training step as :mod:`dlguide.side_by_side`, in PyTorch.

Shown on the page "TensorFlow and PyTorch side by side" but not executed when the
book is built (the build does not install PyTorch); tests/test_side_by_side.py runs
it against the Keras version.
"""

from torch import nn


def make_mlp(n_in, n_hidden, n_out):
    """Linear(n_in, n_hidden), ReLU, Linear(n_hidden, n_out): outputs logits."""
    return nn.Sequential(nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Linear(n_hidden, n_out))


def train_step(model, optimizer, x, y):
    """One step of gradient descent; returns logits, loss and the gradients used."""
    optimizer.zero_grad()  # PyTorch accumulates gradients unless they are reset
    logits = model(x)  # every operation is recorded for backward automatically
    loss = nn.functional.cross_entropy(logits, y)
    loss.backward()  # backward pass: fills p.grad for every parameter p
    gradients = [p.grad.clone() for p in model.parameters()]
    optimizer.step()
    return logits, loss, gradients
