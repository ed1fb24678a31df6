"""Property-based tests of Parts I-III's public functions on arbitrary input.

As in test_hostile_input.py: every call returns a correct result or raises
ValueError/TypeError whose message names an argument it was given.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlguide import losses, mlp
from dlguide._validation import check_fraction, check_positive_float
from dlguide.attention import scaled_dot_product_attention
from dlguide.side_by_side import make_mlp, train_step
from dlguide.tasks import reversal_task
from dlguide.transformer import positional_encoding
from tests.test_hostile_input import ANYTHING, NUMERIC_DTYPES, OTHER_DTYPES, SHAPES, raises_naming

SIZES = st.one_of(st.integers(-2, 40), ANYTHING)
SMALL_SHAPES = hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=4)


def assert_names_one_of(error: Exception, *arguments: str) -> None:
    assert any(raises_naming(error, argument) for argument in arguments), repr(error)


@given(value=st.one_of(ANYTHING, st.integers(min_value=10**300, max_value=10**400)))
@settings(max_examples=200)
def test_float_checks_accept_or_name_the_argument(value):
    for check, name, accepts in [
        (check_positive_float, "learning_rate", lambda v: 0 < v < np.inf),
        (check_fraction, "momentum", lambda v: 0 <= v < 1),
    ]:
        try:
            result = check(value, name)
        except Exception as error:
            assert_names_one_of(error, name)
        else:
            assert result == float(value) and accepts(result)


@given(
    labels=hnp.arrays(NUMERIC_DTYPES | OTHER_DTYPES, SMALL_SHAPES),
    logits=hnp.arrays(np.float64, SMALL_SHAPES, elements=st.floats(-50, 50)),
)
@settings(max_examples=150, deadline=None)
def test_softmax_cross_entropy_on_any_arrays(labels, logits):
    try:
        loss = losses.softmax_cross_entropy(labels, logits)
    except Exception as error:
        assert_names_one_of(error, "labels", "logits")
    else:
        assert logits.ndim == 2 and labels.shape == (len(logits),) and len(logits) > 0
        rows = np.arange(len(labels))
        log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        assert np.isclose(loss, -log_probs[rows, labels].mean(), rtol=1e-10, atol=1e-10)


@given(
    layer_sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4),
    x=hnp.arrays(NUMERIC_DTYPES | OTHER_DTYPES, SHAPES),
    labels=hnp.arrays(np.int64, SHAPES, elements=st.integers(-1, 5)),
)
@settings(max_examples=100, deadline=None)
def test_mlp_loss_and_gradients_on_any_batch(layer_sizes, x, labels):
    params = mlp.init_params(layer_sizes)
    try:
        loss, gradients = mlp.loss_and_gradients(params, x, labels)
    except Exception as error:
        assert_names_one_of(error, "x", "labels", "logits")
    else:
        assert x.shape[1:] == (layer_sizes[0],) and labels.shape == (len(x),)
        assert np.isfinite(loss) and loss >= 0
        assert {name: g.shape for name, g in gradients.items()} == {
            name: p.shape for name, p in params.items()
        }


@given(
    shapes=st.tuples(SMALL_SHAPES, SMALL_SHAPES, SMALL_SHAPES),
    masked=st.one_of(st.none(), SMALL_SHAPES),
)
@settings(max_examples=100, deadline=None)
def test_attention_on_any_shapes(shapes, masked):
    rng = np.random.default_rng(0)
    query, key, value = (rng.normal(size=shape).astype(np.float32) for shape in shapes)
    mask = None if masked is None else rng.random(masked) < 0.7
    try:
        output, weights = scaled_dot_product_attention(query, key, value, mask=mask)
    except Exception as error:
        assert_names_one_of(error, "query", "key", "value", "mask")
    else:
        batch = np.broadcast_shapes(query.shape[:-2], key.shape[:-2], value.shape[:-2])
        assert output.shape == (*batch, query.shape[-2], value.shape[-1])
        assert weights.shape[-2:] == (query.shape[-2], key.shape[-2])
        if key.shape[-2]:
            np.testing.assert_allclose(tf.reduce_sum(weights, axis=-1), 1.0, atol=1e-5)


@given(length=SIZES, depth=SIZES)
@settings(max_examples=100, deadline=None)
def test_positional_encoding_on_any_sizes(length, depth):
    try:
        encoding = positional_encoding(length, depth)
    except Exception as error:
        assert_names_one_of(error, "length", "depth")
    else:
        assert encoding.shape == (length, depth) and encoding.dtype == tf.float32
        assert np.abs(encoding.numpy()).max() <= 1.0


@given(n_samples=SIZES, length=SIZES, seed=st.one_of(st.integers(0, 5), ANYTHING))
@settings(max_examples=100, deadline=None)
def test_reversal_task_on_any_arguments(n_samples, length, seed):
    try:
        source, decoder_input, target = reversal_task(n_samples, length=length, seed=seed)
    except Exception as error:
        assert_names_one_of(error, "n_samples", "length", "seed")
    else:
        assert source.shape == decoder_input.shape == target.shape == (n_samples, length)
        np.testing.assert_array_equal(target, source[:, ::-1])


@given(
    x=hnp.arrays(NUMERIC_DTYPES | OTHER_DTYPES, SHAPES),
    y=hnp.arrays(NUMERIC_DTYPES | OTHER_DTYPES, SHAPES),
)
@settings(max_examples=60, deadline=None)
def test_side_by_side_train_step_on_any_batch(x, y):
    keras.utils.set_random_seed(0)
    model = make_mlp(n_in=2, n_hidden=3, n_out=3)
    try:
        logits, loss, _ = train_step(model, keras.optimizers.SGD(0.1), x, y)
    except Exception as error:
        assert_names_one_of(error, "x", "y")
    else:
        assert x.shape[1:] == (2,) and y.shape == (len(x),) and logits.shape == (len(x), 3)
        assert len(x) == 0 or np.isfinite(float(loss))
