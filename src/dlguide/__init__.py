"""dlguide: the tested code behind the dlguide book.

Each module holds one concept from the book, and the book's pages show and call
it. Import the module you need, for example ``from dlguide import activations``;
importing :mod:`dlguide` itself stays cheap because it does not import TensorFlow.
"""

__version__ = "0.1.0"
