"""Shared machinery of the CLV models.

Maximum likelihood on log-parameters, standard errors from the observed information,
intervals, summaries and the not-fitted check.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import optimize
from threadpoolctl import threadpool_limits

from ..errors import ModelFitError, NotFittedError, ParameterError
from ._inputs import ModelInputs

__all__ = ["LikelihoodModel"]

Z95 = 1.959963984540054
#: A standard error this many times its estimate means the data do not pin the parameter down.
MAX_RELATIVE_ERROR = 1e3


class LikelihoodModel:
    """Base class: a model fitted by maximum likelihood over positive parameters.

    Subclasses define ``_param_names``, ``_columns``, ``_log_likelihood(params, data)``
    (per-row log-likelihood) and optionally ``_gradient(params, data)`` (per-row gradient
    with respect to the natural parameters, shape (n_params, n_rows)) and
    ``_initial_params(data)``.

    Parameters
    ----------
    penalizer : float
        L2 penalty on the parameters, added to the mean negative log-likelihood as
        ``penalizer * sum(params ** 2)`` (lifetimes' convention). Use a small value
        (0.001 – 0.1) when a fit does not converge or parameters run off to extremes.
    max_iter : int
        Maximum optimiser iterations per start.
    tol : float
        Convergence tolerance on the projected gradient of the mean log-likelihood.
    """

    _param_names: tuple[str, ...] = ()
    _columns: tuple[str, ...] = ()

    def __init__(self, *, penalizer: float = 0.0, max_iter: int = 2000, tol: float = 1e-8):
        self.penalizer = penalizer
        self.max_iter = max_iter
        self.tol = tol

    # -- subclass hooks ---------------------------------------------------------------
    def _log_likelihood(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        raise NotImplementedError

    def _gradient(self, params: np.ndarray, data: ModelInputs) -> np.ndarray | None:
        return None

    def _log_likelihood_and_gradient(
        self, params: np.ndarray, data: ModelInputs
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Both in one pass; models whose two share intermediate terms override this."""
        return self._log_likelihood(params, data), self._gradient(params, data)

    def _initial_params(self, data: ModelInputs) -> np.ndarray:
        return np.ones(len(self._param_names))

    def _validate(self, data: ModelInputs) -> None:
        """Raise if the data cannot identify the model (e.g. no repeat purchase at all)."""

    # -- fitting ----------------------------------------------------------------------
    def _check_settings(self) -> None:
        if not (np.isfinite(self.penalizer) and self.penalizer >= 0):
            raise ParameterError(f"penalizer must be >= 0, got {self.penalizer!r}")
        if int(self.max_iter) < 1:
            raise ParameterError(f"max_iter must be >= 1, got {self.max_iter!r}")

    def _fit_inputs(self, data: ModelInputs) -> None:
        """Maximise the likelihood and set the fitted attributes.

        BLAS runs single-threaded meanwhile: the work is element-wise, and threaded BLAS
        dot products of this size cost more in start-up than they save (measured 100x).
        """
        with threadpool_limits(limits=1, user_api="blas"):
            self._maximise(data)

    def _maximise(self, data: ModelInputs) -> None:
        self.__dict__.pop("params_", None)  # a refit that fails must not look fitted
        self._check_settings()
        self._validate(data)
        total = data.weights.sum()

        def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
            params = np.exp(theta)
            with np.errstate(all="ignore"):
                ll, grad_rows = self._log_likelihood_and_gradient(params, data)
                value = -(data.weights @ ll) / total + self.penalizer * np.sum(params**2)
            if not np.isfinite(value):
                return np.inf, np.zeros_like(theta)
            if grad_rows is None:
                grad = _numeric_gradient(lambda t: objective(t)[0], theta)
            else:
                grad = -(grad_rows @ data.weights) / total + 2 * self.penalizer * params
                grad = grad * params  # chain rule: d/d log(p) = p d/dp
            return float(value), grad

        starts = [np.log(self._initial_params(data))]
        starts += [starts[0] + shift for shift in (np.log(3.0), -np.log(3.0))]
        best = None
        for theta0 in starts:
            result = optimize.minimize(
                objective,
                theta0,
                jac=True,
                method="L-BFGS-B",
                bounds=[(-30.0, 30.0)] * len(theta0),
                options={"maxiter": self.max_iter, "gtol": self.tol, "ftol": 1e-15},
            )
            if best is None or (np.isfinite(result.fun) and result.fun < best.fun):
                best = result
            if result.success and np.all(np.abs(result.x) < 29.0):
                break
        if best is None or not np.isfinite(best.fun) or np.any(np.abs(best.x) >= 29.0):
            ended = {
                n: float(f"{v:.6g}") for n, v in zip(self._param_names, np.exp(best.x), strict=True)
            }
            raise ModelFitError(
                f"{type(self).__name__} did not converge: L-BFGS-B from {len(starts)} starting "
                f"points ended at {ended} "
                f"({best.message}). Try penalizer=0.01 (or larger), check that the data has "
                "repeat buyers, or use another model."
            )
        params = np.exp(best.x)
        covariance = self._covariance(params, data)
        names = list(self._param_names)
        std_error = np.sqrt(np.diag(covariance))
        if np.isnan(covariance).any() or np.any(std_error > MAX_RELATIVE_ERROR * params):
            at = {n: float(f"{v:.6g}") for n, v in zip(names, params, strict=True)}
            raise ModelFitError(
                f"{type(self).__name__}: the data do not identify the parameters (the "
                f"likelihood is flat around {at}); "
                "use more data (more repeat buyers or a longer window) or a penalizer such "
                "as 0.01"
            )
        lower, upper = self._log_normal_interval(params, std_error)
        self.covariance_ = covariance
        self.log_likelihood_ = float(data.weights @ self._log_likelihood(params, data))
        self.n_customers_ = int(round(data.weights.sum()))
        self.time_unit_ = data.time_unit
        self.converged_ = bool(best.success)
        self.standard_errors_ = pd.Series(std_error, index=names, name="std_error")
        self.confidence_intervals_ = pd.DataFrame(
            {"lower_95": lower, "upper_95": upper}, index=names
        )
        self.params_ = pd.Series(params, index=names, name="estimate")

    def _covariance(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        """Inverse of the observed information (Hessian of the total negative log-likelihood)."""

        def total_nll(p: np.ndarray) -> float:
            with np.errstate(all="ignore"):
                return -float(data.weights @ self._log_likelihood(p, data))

        def total_gradient(p: np.ndarray) -> np.ndarray | None:
            with np.errstate(all="ignore"):
                rows = self._gradient(p, data)
            return None if rows is None else -(rows @ data.weights)

        if total_gradient(params) is None:
            hessian = _numeric_hessian(total_nll, params)
        else:
            hessian = _jacobian_of_gradient(total_gradient, params)
        try:
            covariance = np.linalg.inv(hessian)
        except np.linalg.LinAlgError:
            return np.full_like(hessian, np.nan)
        if np.any(np.diag(covariance) <= 0):
            return np.full_like(hessian, np.nan)
        return covariance

    @staticmethod
    def _log_normal_interval(
        estimate: np.ndarray, std_error: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        spread = Z95 * std_error / estimate
        return estimate * np.exp(-spread), estimate * np.exp(spread)

    # -- fitted-state helpers ---------------------------------------------------------
    def _check_fitted(self) -> np.ndarray:
        if not hasattr(self, "params_"):
            raise NotFittedError(
                f"this {type(self).__name__} is not fitted yet; call fit(customers) first"
            )
        return self.params_.to_numpy()

    @property
    def summary(self) -> pd.DataFrame:
        """Parameter estimates, standard errors and 95 % intervals.

        Returns
        -------
        pandas.DataFrame
            One row per parameter: ``estimate``, ``std_error``, ``lower_95``, ``upper_95``.
        """
        self._check_fitted()
        return pd.concat([self.params_, self.standard_errors_, self.confidence_intervals_], axis=1)

    def _prediction_interval(
        self, predict: Callable[[np.ndarray], np.ndarray], level: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Point prediction and a delta-method interval from the parameters' covariance.

        The interval is symmetric on the log scale of the prediction, so it stays positive.
        """
        params = self._check_fitted()
        if not 0 < level < 1:
            raise ParameterError(f"interval must be between 0 and 1, got {level!r}")
        from scipy.stats import norm

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
        return (
            f"{name}({values}; {self.n_customers_:,} customers{unit}, "
            f"log-likelihood {self.log_likelihood_:.2f})"
        )


def _numeric_gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    grad = np.empty_like(x)
    for i in range(len(x)):
        step = 1e-6 * max(1.0, abs(x[i]))
        up, down = x.copy(), x.copy()
        up[i] += step
        down[i] -= step
        grad[i] = (f(up) - f(down)) / (2 * step)
    return grad


def _jacobian_of_gradient(
    gradient: Callable[[np.ndarray], np.ndarray], x: np.ndarray
) -> np.ndarray:
    """Hessian as forward differences of an analytic gradient (symmetrised)."""
    n = len(x)
    at_x = gradient(x)
    hessian = np.empty((n, n))
    for j in range(n):
        step = 1e-6 * max(abs(x[j]), 1e-3)
        moved = x.copy()
        moved[j] += step
        hessian[:, j] = (gradient(moved) - at_x) / step
    return (hessian + hessian.T) / 2


def _numeric_hessian(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    n = len(x)
    steps = 1e-4 * np.maximum(np.abs(x), 1e-3)
    hessian = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.zeros(n), np.zeros(n)
            ei[i], ej[j] = steps[i], steps[j]
            value = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                4 * steps[i] * steps[j]
            )
            hessian[i, j] = hessian[j, i] = value
    return hessian
