"""The same MLP and training step as side_by_side_tensorflow.py, in PyTorch.

Not executed when the book is built (the build does not install PyTorch);
tests/test_side_by_side.py runs it against the TensorFlow version.
"""

import torch
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


if __name__ == "__main__":
    torch.manual_seed(0)
    model = make_mlp(n_in=4, n_hidden=8, n_out=3)
    x = torch.randn(16, 4)
    y = torch.randint(0, 3, (16,))
    logits, loss, gradients = train_step(model, torch.optim.SGD(model.parameters(), lr=0.1), x, y)
    print("loss", float(loss), "weight shape", tuple(model[0].weight.shape))
