"""The PyTorch half of the page "TensorFlow and PyTorch side by side".

The same two-layer perceptron and training step as :mod:`dlguide.side_by_side`,
written the way a PyTorch user writes them. Importing this module needs ``torch``,
which the book's build does not install; ``tests/unit/test_side_by_side.py`` copies
the Keras weights into this model and checks that both libraries compute the same
logits, loss, gradients and updated weights.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["make_torch_mlp", "train_step"]


def make_torch_mlp(n_in: int, n_hidden: int, n_out: int) -> nn.Sequential:
    """Linear(n_in, n_hidden), ReLU, Linear(n_hidden, n_out): ``[batch, n_in]`` to logits.

    Examples
    --------
    >>> model = make_torch_mlp(n_in=4, n_hidden=8, n_out=3)
    >>> [tuple(p.shape) for p in model.parameters()]
    [(8, 4), (8,), (3, 8), (3,)]
    """
    return nn.Sequential(
        nn.Linear(n_in, n_hidden),
        nn.ReLU(),
        nn.Linear(n_hidden, n_out),
    )


def train_step(
    model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, list[torch.Tensor]]:
    """One step of gradient descent on the cross-entropy of ``model``'s logits.

    ``x`` is a batch ``[batch, n_in]``, ``y`` its integer class labels ``[batch]``.
    Returns the logits, the loss and the gradients the optimizer applied.

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> model = make_torch_mlp(n_in=2, n_hidden=4, n_out=3)
    >>> x, y = torch.ones(5, 2), torch.tensor([0, 1, 2, 1, 0])
    >>> optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    >>> logits, loss, gradients = train_step(model, optimizer, x, y)
    >>> tuple(logits.shape), [tuple(g.shape) for g in gradients]
    ((5, 3), [(4, 2), (4,), (3, 4), (3,)])
    """
    optimizer.zero_grad()  # .grad accumulates unless it is reset
    logits = model(x)  # recorded for the backward pass as it runs
    loss = nn.functional.cross_entropy(logits, y)
    loss.backward()  # backward pass: fills p.grad for every parameter p
    gradients = [p.grad.clone() for p in model.parameters()]
    optimizer.step()
    return logits, loss, gradients
