"""Shared machinery of the CLV models.

One fit path (collect and validate the inputs, maximise the likelihood on log-parameters,
check that the data identify the estimates, record the fitted state), standard errors from
the observed information, delta-method bands of expected values, and the not-fitted check.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.stats import norm
from threadpoolctl import threadpool_limits

from ..errors import ModelFitError, NotFittedError, ParameterError
from ..summary import TIME_UNITS
from ._inputs import ModelInputs, model_inputs

__all__ = ["LikelihoodModel"]

Z95 = 1.959963984540054
#: A standard error this many times its estimate (a 95 % interval spanning a factor of about
#: 10^4 either way) means the data do not pin the parameter down.
MAX_RELATIVE_ERROR = 5.0
#: Shape parameters outside this range mean the fit ran to a boundary of the parameter space
#: (e.g. BG/NBD's a -> 0, b -> infinity: nobody seems to drop out).
SHAPE_RANGE = (1e-4, 1e4)
#: Bounds of the log-parameters in the optimiser; an estimate within 1 of them is at a bound.
_LOG_BOUND = 30.0
PENALTIES = ("l2", "log")


def _rounded(names, values) -> dict[str, float]:
    return {n: float(f"{v:.6g}") for n, v in zip(names, values, strict=True)}


class LikelihoodModel:
    """Base class: a model fitted by maximum likelihood over positive parameters.

    Subclasses define ``_param_names``, ``_columns``, ``_shape_params`` (the parameters
    checked against :data:`SHAPE_RANGE`), ``_log_likelihood(params, data)`` (per-row
    log-likelihood), ``_log_likelihood_and_gradient(params, data)`` (the same and the
    per-row gradient with respect to the natural parameters, shape (n_params, n_rows), in
    one pass) and optionally ``_initial_params``, ``_collect``, ``_validate``, ``_prepare``
    and ``_check_estimates``.

    Parameters
    ----------
    penalizer : float
        Weight of the penalty added to the mean negative log-likelihood; 0 gives the MLE.
    penalty : {"l2", "log"}
        ``"l2"``: ``penalizer * sum(params ** 2)`` (lifetimes' convention; it pulls every
        parameter towards 0, which does not help a fit whose dropout parameters run to 0).
        ``"log"``: ``penalizer * sum(log(params / reference) ** 2)``, pulling each parameter
        towards a data-scaled reference (1 for shapes, a tenth of the longest ``T`` for
        time scales) from both sides; this is what :func:`select_purchase_model` uses when
        every unpenalised fit is at a boundary, and it does not depend on the time unit.
    max_iter : int
        Maximum optimiser iterations per start.
    tol : float
        Convergence tolerance on the projected gradient of the mean log-likelihood.
    """

    _param_names: tuple[str, ...] = ()
    _columns: tuple[str, ...] = ()
    _shape_params: tuple[str, ...] = ()
    #: Whether the model's parameters are in a time unit (False for spend and BG/BB).
    _timed = True

    def __init__(
        self,
        *,
        penalizer: float = 0.0,
        penalty: str = "l2",
        max_iter: int = 2000,
        tol: float = 1e-8,
    ):
        self.penalizer = penalizer
        self.penalty = penalty
        self.max_iter = max_iter
        self.tol = tol

    # -- subclass hooks ---------------------------------------------------------------
    def _log_likelihood(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        return self._log_likelihood_and_gradient(params, data)[0]

    def _log_likelihood_and_gradient(
        self, params: np.ndarray, data: ModelInputs
    ) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def _gradient(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        return self._log_likelihood_and_gradient(params, data)[1]

    def _initial_params(self, data: ModelInputs) -> np.ndarray:
        return np.ones(len(self._param_names))

    def _extra_names(self) -> list[str]:
        """Names of unconstrained parameters after the positive ones (covariate effects)."""
        return []

    def _extra_penalizer(self) -> float:
        """L2 weight on the unconstrained parameters."""
        return 0.0

    def _all_names(self) -> list[str]:
        return [*self._param_names, *self._extra_names()]

    def _collect(self, customers, arrays: dict, weights, time_unit) -> ModelInputs:
        """Return the validated, compressed inputs of a fit (a hook for exclusions)."""
        return model_inputs(customers, self._columns, arrays, weights=weights, time_unit=time_unit)

    def _validate(self, data: ModelInputs) -> None:
        """Raise ModelFitError if the data cannot identify the model (e.g. no repeat buyer)."""

    def _prepare(self, data: ModelInputs) -> ModelInputs:
        """Precompute what the likelihood needs (identity by default)."""
        return data

    def _check_estimates(self, params: pd.Series) -> None:
        """Raise ModelFitError if the estimates are unusable (e.g. Gamma-Gamma q <= 1)."""

    # -- fitting ----------------------------------------------------------------------
    def _check_settings(self) -> None:
        penalizer = self.penalizer
        if not (isinstance(penalizer, int | float) and np.isfinite(penalizer) and penalizer >= 0):
            raise ParameterError(f"penalizer must be a number >= 0, got {penalizer!r}")
        if self.penalty not in PENALTIES:
            raise ParameterError(
                f"penalty must be one of {', '.join(PENALTIES)}, got {self.penalty!r}"
            )
        if not (isinstance(self.max_iter, int | np.integer) and self.max_iter >= 1):
            raise ParameterError(f"max_iter must be a whole number >= 1, got {self.max_iter!r}")
        if not (isinstance(self.tol, int | float) and self.tol > 0):
            raise ParameterError(f"tol must be a number > 0, got {self.tol!r}")

    def _fit(self, customers, arrays: dict, weights=None, time_unit: str | None = None):
        """Fit: the one fit path of every model; see the subclasses' ``fit`` for the contract."""
        for name in [n for n in vars(self) if n.endswith("_") and not n.startswith("_")]:
            delattr(self, name)  # a refit that fails must not look fitted
        self._check_settings()
        data = self._collect(customers, arrays, weights, time_unit)
        self._validate(data)
        data = self._prepare(data)
        # BLAS single-threaded: the work is element-wise, and threaded BLAS dot products of
        # this size cost more in start-up than they save (measured 100x).
        with threadpool_limits(limits=1, user_api="blas"):
            params, converged = self._maximise(data)
            covariance = self._covariance(params, data)
        names = self._all_names()
        std_error = np.sqrt(np.diag(covariance))
        k = len(self._param_names)  # positive parameters first, then unconstrained ones
        if np.isnan(covariance).any() or np.any(std_error[:k] > MAX_RELATIVE_ERROR * params[:k]):
            raise ModelFitError(
                f"{type(self).__name__}: the data do not identify the parameters (the "
                f"likelihood is flat around {_rounded(names, params)}); use more data (more "
                "repeat buyers or a longer window), another model, or a penalizer (e.g. "
                "penalizer=0.01; model 'auto' chooses one on the data)",
                reason="flat_likelihood",
                values=_rounded(names, params),
            )
        estimates = pd.Series(params, index=names, name="estimate")
        self._check_estimates(estimates)
        lower, upper = _log_normal_interval(params, std_error)
        lower[k:], upper[k:] = params[k:] - Z95 * std_error[k:], params[k:] + Z95 * std_error[k:]
        self.covariance_ = covariance
        self.log_likelihood_ = float(data.weights @ self._log_likelihood(params, data))
        self.n_customers_ = int(round(data.weights.sum()))
        self.time_unit_ = data.time_unit if self._timed else None
        self.converged_ = converged
        self.standard_errors_ = pd.Series(std_error, index=names, name="std_error")
        self.confidence_intervals_ = pd.DataFrame(
            {"lower_95": lower, "upper_95": upper}, index=names
        )
        self.params_ = estimates
        self._after_fit(data)
        return self

    def _after_fit(self, data: ModelInputs) -> None:
        """Record fitted state beyond the parameters (a hook)."""

    def _objective(self, data: ModelInputs) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
        """Mean penalised negative log-likelihood and its gradient, in log-parameters."""
        total = data.weights.sum()
        penalizer, extra_penalizer = float(self.penalizer), float(self._extra_penalizer())
        k = len(self._param_names)
        reference = np.log(self._initial_params(data))
        log_penalty = self.penalty == "log"

        def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
            params = _natural(theta, k)
            with np.errstate(all="ignore"):
                ll, grad_rows = self._log_likelihood_and_gradient(params, data)
                value = -(data.weights @ ll) / total
                grad = -(grad_rows @ data.weights) / total
                grad[:k] = grad[:k] * params[:k]  # d/d log(p) = p d/dp
                positive = theta[:k]
                if log_penalty:
                    value += penalizer * np.sum((positive - reference) ** 2)
                    grad[:k] += 2 * penalizer * (positive - reference)
                else:
                    value += penalizer * np.sum(params[:k] ** 2)
                    grad[:k] += 2 * penalizer * params[:k] ** 2
                if k < len(theta):
                    value += extra_penalizer * np.sum(theta[k:] ** 2)
                    grad[k:] += 2 * extra_penalizer * theta[k:]
            if not (np.isfinite(value) and np.isfinite(grad).all()):
                return np.inf, np.zeros_like(theta)
            return float(value), grad

        return objective

    def _maximise(self, data: ModelInputs) -> tuple[np.ndarray, bool]:
        """Maximise the (penalised) likelihood from three starts; raise at a boundary."""
        objective = self._objective(data)
        k = len(self._param_names)
        extra = len(self._extra_names())
        first = np.concatenate([np.log(self._initial_params(data)), np.zeros(extra)])
        shifts = np.concatenate([np.ones(k), np.zeros(extra)])
        starts = [first] + [first + shift * shifts for shift in (np.log(3.0), -np.log(3.0))]
        shapes = np.array([n in self._shape_params for n in self._param_names])
        far = np.log(SHAPE_RANGE[1])

        def stop_at_boundary(theta: np.ndarray) -> None:
            # an iterate this far out is creeping to a boundary: stop (it is rejected below)
            # instead of paying for ever slower special functions on the way
            theta = theta[:k]
            if np.any(np.abs(theta) >= _LOG_BOUND - 1) or np.any(np.abs(theta[shapes]) > far):
                raise StopIteration

        best = None
        for theta0 in starts:
            result = optimize.minimize(
                objective,
                theta0,
                jac=True,
                method="L-BFGS-B",
                bounds=[(-_LOG_BOUND, _LOG_BOUND)] * k + [(-50.0, 50.0)] * extra,
                callback=stop_at_boundary,
                options={"maxiter": self.max_iter, "gtol": self.tol, "ftol": 1e-15},
            )
            if best is None or (np.isfinite(result.fun) and result.fun < best.fun):
                best = result
            if result.success and not self._at_boundary(_natural(result.x, k)):
                break
        names = self._all_names()
        params = _natural(best.x, k)
        if not np.isfinite(best.fun):
            raise ModelFitError(
                f"{type(self).__name__} did not converge: L-BFGS-B from {len(starts)} starting "
                f"points found no finite likelihood ({best.message}); check the data for "
                "extreme values, or use another model",
                reason="not_converged",
                values=_rounded(names, params),
            )
        at = self._at_boundary(params)
        if at:
            raise ModelFitError(
                f"{type(self).__name__}: the fit ran to a boundary of the parameter space "
                f"({', '.join(at)} at {_rounded(names, params)}): the data cannot identify "
                "this model as it stands. Use a penalizer (e.g. penalizer=0.01; model 'auto' "
                "chooses one on the data), another model, or a longer data window",
                reason="boundary",
                values=_rounded(names, params),
            )
        return params, bool(best.success)

    def _at_boundary(self, params: np.ndarray) -> list[str]:
        """Names of the parameters at a boundary (optimiser bound or outside SHAPE_RANGE)."""
        low, high = SHAPE_RANGE
        out = []
        for name, value in zip(self._param_names, params, strict=False):
            if abs(np.log(value)) >= _LOG_BOUND - 1 or (
                name in self._shape_params and not low <= value <= high
            ):
                out.append(name)
        return out

    def _covariance(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        """Covariance of the estimates from the observed information.

        The Hessian of the total (penalised) negative log-likelihood in log-parameters, from
        differences of its analytic gradient, is inverted and mapped to the natural
        parameters (``diag(p) H^-1 diag(p)``; at an unpenalised maximum this is exactly the
        inverse of the natural-parameter Hessian).
        """
        objective = self._objective(data)
        total = data.weights.sum()
        k = len(self._param_names)
        theta = np.concatenate([np.log(params[:k]), params[k:]])
        hessian = _jacobian_of_gradient(lambda t: objective(t)[1] * total, theta)
        try:
            inverse = np.linalg.inv(hessian)
        except np.linalg.LinAlgError:
            return np.full_like(hessian, np.nan)
        scale = np.concatenate([params[:k], np.ones(len(params) - k)])
        covariance = inverse * np.outer(scale, scale)
        if not np.isfinite(covariance).all() or np.any(np.diag(covariance) <= 0):
            return np.full_like(hessian, np.nan)
        return covariance

    # -- fitted-state helpers ---------------------------------------------------------
    def _check_fitted(self) -> np.ndarray:
        if not hasattr(self, "params_"):
            raise NotFittedError(
                f"this {type(self).__name__} is not fitted yet; call fit(customers) first"
            )
        return self.params_.to_numpy()

    @property
    def summary_(self) -> pd.DataFrame:
        """Parameter estimates, standard errors and 95 % intervals.

        Returns
        -------
        pandas.DataFrame
            One row per parameter: ``estimate``, ``std_error``, ``lower_95``, ``upper_95``.

        Raises
        ------
        NotFittedError
            If the model is not fitted.
        """
        self._check_fitted()
        return pd.concat([self.params_, self.standard_errors_, self.confidence_intervals_], axis=1)

    def _mean_uncertainty(
        self, predict: Callable[[np.ndarray], np.ndarray], level: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Point prediction and a delta-method band from the parameters' covariance.

        The band is the uncertainty of the *expected value* that the estimated parameters
        carry (it shrinks as the data grow), not a range for what a customer will do. It is
        symmetric on the log scale of the prediction, so it stays positive.
        """
        params = self._check_fitted()
        _check_level(level)
        z = norm.ppf(0.5 + level / 2)
        point = predict(params)
        log_point = np.log(np.maximum(point, 1e-300))
        jac = np.empty((len(params), len(point)))
        for i in range(len(params)):  # forward differences: one evaluation per parameter
            step = 1e-6 * params[i]
            moved = params.copy()
            moved[i] += step
            jac[i] = (np.log(np.maximum(predict(moved), 1e-300)) - log_point) / step
        variance = np.einsum("in,ij,jn->n", jac, self.covariance_, jac)
        spread = z * np.sqrt(np.maximum(variance, 0))
        return point, np.exp(log_point - spread), np.exp(log_point + spread)

    def __repr__(self) -> str:
        name = type(self).__name__
        if not hasattr(self, "params_"):
            return f"{name}(penalizer={self.penalizer}) [not fitted]"
        values = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        unit = f", time unit {self.time_unit_}" if self.time_unit_ else ""
        penalty = f", {self.penalty} penalizer {self.penalizer:g}" if self.penalizer else ""
        return (
            f"{name}({values}; {self.n_customers_:,} customers{unit}{penalty}, "
            f"log-likelihood {self.log_likelihood_:.2f})"
        )


def _natural(theta: np.ndarray, k: int) -> np.ndarray:
    """Parameters from optimiser coordinates: the first ``k`` are logs, the rest as they are."""
    return np.concatenate([np.exp(theta[:k]), theta[k:]])


def _check_level(level: float, name: str = "level") -> None:
    if not (isinstance(level, int | float) and 0 < level < 1):
        raise ParameterError(f"{name} must be between 0 and 1 (e.g. 0.8), got {level!r}")


def _log_normal_interval(estimate: np.ndarray, std_error: np.ndarray):
    spread = Z95 * std_error / estimate
    return estimate * np.exp(-spread), estimate * np.exp(spread)


def _jacobian_of_gradient(
    gradient: Callable[[np.ndarray], np.ndarray], x: np.ndarray
) -> np.ndarray:
    """Hessian as forward differences of an analytic gradient (symmetrised)."""
    n = len(x)
    at_x = gradient(x)
    hessian = np.empty((n, n))
    for j in range(n):
        step = 1e-6 * max(abs(x[j]), 1.0)
        moved = x.copy()
        moved[j] += step
        hessian[:, j] = (gradient(moved) - at_x) / step
    return (hessian + hessian.T) / 2


def unit_factor(table_unit: str, model_unit: str) -> float:
    """How many ``model_unit`` one ``table_unit`` is (e.g. 1/7 for days into weeks)."""
    return TIME_UNITS[table_unit] / TIME_UNITS[model_unit]
