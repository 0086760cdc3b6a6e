"""Owner re-assignment: the fewest customer moves that fit the capacities and the seniority rules.

Each graded customer with an owner needs ``DAYS_PER_MONTH / cadence_days`` contacts per month
(its tier's policy); each owner can make ``capacity`` contacts per month
(:func:`custanalytics.policy.owner_capacities`) and may hold a tier only if the owner's
seniority is at least the tier's. :func:`propose_reassignment` moves as few customers as
possible so that every owner fits, by a small integer programme (``scipy.optimize.milp``,
HiGHS) over groups of interchangeable customers rather than one decision per customer.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._codes import aligned, positions
from .errors import DataError, ParameterError
from .params import PolicyParams, TierPolicy
from .policy import (
    CAPACITY_TOLERANCE,
    DAYS_PER_MONTH,
    owner_capacities,
    owner_codes,
    owner_levels,
)

__all__ = ["REASONS", "STATUSES", "Reassignment", "propose_reassignment"]

#: Why a customer moves, in the order of precedence: its owner is below the tier's seniority;
#: its owner is over capacity; its owner must make room for a customer who has to come to it.
REASONS = ("below_seniority", "over_capacity", "make_room")

#: Solver outcome: proven optimum; the best proposal found when the time limit struck; no
#: proposal found in the time (no moves are proposed then).
STATUSES = ("optimal", "time_limit", "not_solved")


@dataclasses.dataclass(frozen=True)
class Reassignment:
    """A proposed re-assignment of customers to owners.

    Attributes
    ----------
    moves : pandas.DataFrame
        One row per customer to move: ``customer_id``, ``tier``, ``from_owner``,
        ``to_owner`` (missing when no owner has the tier's seniority: the capacity is
        counted as missing at that level), ``reason`` (a code of :data:`REASONS`) and
        ``contacts_per_month`` the customer needs. Ordered by reason, owner, tier, then
        the order the customers were picked in (lowest value first).
    owners : pandas.DataFrame
        Per owner (every owner of the owner column, also those holding only ungraded
        customers), before and after the moves: ``seniority`` (when checked),
        ``capacity``, ``accounts_before``, ``accounts_after``, ``contacts_before``,
        ``contacts_after``, ``utilisation_before``, ``utilisation_after``,
        ``over_capacity_before``, ``over_capacity_after``, ``below_seniority_before``,
        ``below_seniority_after``, ``moved_out``, ``moved_in`` and ``missing_capacity``
        (contacts per month above the capacity after the moves).
    feasible : bool
        Every customer fits an owner of the required seniority within the capacities.
    missing_capacity : float
        Contacts per month that the owners lack, 0 when feasible: the least total overload
        that any assignment of whole customers leaves (what would have to be added to the
        owners' capacities for the proposal to fit); NaN when not solved.
    missing_by_level : dict
        The same by the seniority level of the owners who lack it (``default`` for owners
        without a level, and for every owner when seniority is not checked), only levels
        that lack some.
    status : str
        A code of :data:`STATUSES`.
    customers : int
        Customers considered: with a tier and an owner.
    customers_without_tier : int
        Customers left out for want of a tier (e.g. prospects), with an owner or not.
    customers_without_owner : int
        Customers with a tier left out for want of an owner.
    owners_without_seniority : int
        Owners without a seniority level (when seniority is checked): they may hold only
        tiers that ask for none.
    customers_without_eligible_owner : int
        Customers of a tier that no owner is senior enough to hold (``to_owner`` missing).
    seniority_checked : bool
        False without a seniority column: every owner may hold every tier.
    """

    moves: pd.DataFrame
    owners: pd.DataFrame
    feasible: bool
    missing_capacity: float
    missing_by_level: dict[str, float]
    status: str
    customers: int
    customers_without_tier: int
    customers_without_owner: int
    owners_without_seniority: int
    customers_without_eligible_owner: int
    seniority_checked: bool


@dataclasses.dataclass(frozen=True)
class _Model:
    """The aggregated problem: customers as counts per (tier, owner) group.

    Owners are the real owners in name order, then one vacancy per seniority level that a
    tier needs and no owner has (capacity 0: whatever it receives is missing capacity).
    """

    load: np.ndarray  # contacts per month of one customer, per tier
    eligible: np.ndarray  # tier x owner: the owner may hold the tier
    capacity: np.ndarray  # per owner
    held: np.ndarray  # contacts per month held now, per owner
    size: np.ndarray  # tier x owner: customers held now
    over: np.ndarray  # per owner: over capacity now
    vacancies: int  # the last owners are vacancies


def propose_reassignment(
    customers: pd.DataFrame,
    tiers: pd.Series,
    policies: Mapping[str, TierPolicy],
    params: PolicyParams,
    *,
    value: str | None = "revenue",
    time_limit: float = 10.0,
) -> Reassignment:
    """Propose the fewest customer moves after which every owner fits capacity and seniority.

    Customers of one tier held by one owner are interchangeable for the constraints, so the
    model decides integer counts: how many customers of each (tier, owner) group leave and
    how many of each tier each owner receives, minimising the customers moved subject to
    every owner's contacts per month ≤ capacity (:data:`~custanalytics.policy.
    CAPACITY_TOLERANCE`) and to the tiers' seniority (HiGHS proves the fewest moves). Of
    equally few moves, customers of lower tiers move rather than better ones where swapping
    them keeps every constraint (a deterministic pass after the solve, not proven best).
    The customers who leave a group are its lowest-value ones (ties: table order); the
    leavers of a tier go to their new owners in owner-name order.

    When no assignment fits, a first solve finds the least total overload that any
    assignment of whole customers leaves (one slack variable per owner): that is the
    missing capacity. The proposal is then the one with the fewest moves among those
    leaving only that overload; it still fixes every seniority violation. The customers of a
    tier that no owner is senior enough to hold move to nobody (``to_owner`` missing) and
    their contacts count as missing at the tier's level.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table with the owner column (``params.owner``), the seniority column
        (``params.seniority``, if set) and ``value``.
    tiers : pandas.Series
        Tier per customer (missing: left out, e.g. prospects).
    policies : mapping
        Tier → TierPolicy (:func:`custanalytics.policy.tier_policies`), best tier first.
    params : PolicyParams
        Owner and seniority columns, ``seniority_order``, ``capacity`` and
        ``owner_capacity``. Without a seniority column seniority is not checked.
    value : str or None, default "revenue"
        Column that decides which customers of a group move: the lowest first, missing
        values last; None: table order.
    time_limit : float, default 10.0
        Seconds the solver may take in all; when it strikes, the best proposal found so far
        is returned (``status`` ``time_limit``), and that depends on the machine's speed.

    Returns
    -------
    Reassignment
        The moves, the owners before and after, feasibility and the missing capacity.

    Raises
    ------
    ParameterError
        If the owner column is not named, ``time_limit`` is not positive, owners have a
        level without a capacity (and there is no ``capacity.default``), or
        ``owner_capacity`` names an owner who is not in the owner column.
    DataError
        If a named column is missing, a tier has no policy, or an owner's seniority is not
        in ``seniority_order``.
    """
    if not time_limit > 0:
        raise ParameterError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    _check_columns(customers, params, value)
    names = [str(k) for k in policies]
    tier = aligned(tiers, customers.index)
    tier_code = positions(tier, names)
    has_tier = tier.notna().to_numpy()
    unknown = has_tier & (tier_code < 0)
    if unknown.any():
        raise DataError(
            f"tiers: {int(unknown.sum())} customers have a tier without a policy, e.g. "
            f"{tier[unknown].iloc[0]!r} (policies for: {', '.join(names)}); pass the "
            f"policies of the scheme the tiers come from (tier_policies)"
        )
    owner_code, owners = owner_codes(customers, params)
    has_owner = owner_code >= 0
    inside = has_tier & has_owner
    levels = owner_levels(customers, params)
    rank = _owner_ranks(levels, owners, params)
    capacity = _owner_capacity(levels, owners, params)
    owner_code, tier_code = owner_code[inside], tier_code[inside]
    model, vacancies = _model(tier_code, owner_code, rank, capacity, policies, params)
    leave, arrive, status = _solve(model, time_limit)
    order = _value_order(customers, inside, value, tier_code, owner_code)
    new_owner, movers, reason = _pick(tier_code, owner_code, order, leave, arrive, model)
    moves = _moves_table(customers.index[inside], names, owners, tier_code, owner_code,
                         new_owner, movers, reason, model)  # fmt: skip
    table = _owner_table(owners, levels, tier_code, owner_code, new_owner, model)
    unplaced = new_owner >= len(owners)
    lacking = np.bincount(
        new_owner[unplaced] - len(owners),
        weights=model.load[tier_code[unplaced]],
        minlength=len(vacancies),
    )
    solved = status != "not_solved"
    by_level = _missing_by_level(table, lacking, vacancies, params) if solved else {}
    missing = sum(by_level.values()) if solved else float("nan")
    return Reassignment(
        moves=moves,
        owners=table,
        feasible=solved and missing == 0,
        missing_capacity=float(missing),
        missing_by_level=by_level,
        status=status,
        customers=int(inside.sum()),
        customers_without_tier=int((~has_tier).sum()),
        customers_without_owner=int((has_tier & ~has_owner).sum()),
        owners_without_seniority=0 if levels is None else int(levels.isna().sum()),
        customers_without_eligible_owner=int(unplaced.sum()),
        seniority_checked=levels is not None,
    )


def _missing_by_level(
    owners: pd.DataFrame, vacant: np.ndarray, vacancies: list[str], params: PolicyParams
) -> dict[str, float]:
    """Return the missing contacts per month by the level of the owners (or vacancies)."""
    if "seniority" in owners:
        level = owners["seniority"].fillna("default").to_numpy(dtype=object)
    else:
        level = np.full(len(owners), "default", dtype=object)
    short = pd.Series(
        [*owners["missing_capacity"], *vacant], index=[*level, *vacancies], dtype="float64"
    )
    short = short[short > 0].groupby(level=0).sum()
    return {k: float(short[k]) for k in [*params.seniority_order, "default"] if k in short.index}


def _check_columns(customers: pd.DataFrame, params: PolicyParams, value: str | None) -> None:
    if params.owner is None:
        raise ParameterError(
            "parameter 'policies.owner' is not set: name the customer-master column of the "
            "account owner (e.g. owner: account_owner) to re-assign customers"
        )
    named = [("policies.owner", params.owner), ("policies.seniority", params.seniority)]
    for key, column in [*named, ("value", value)]:
        if column is not None and column not in customers.columns:
            raise DataError(
                f"column {column!r} ({key}) is not in the customer table "
                f"({len(customers.columns)} columns, e.g. {list(customers.columns[:5])}); "
                f"load a customer master that has it or name another column"
            )
    if value is not None and not pd.api.types.is_numeric_dtype(customers[value]):
        raise DataError(
            f"column {value!r} (value) must be numeric to choose which customers move, got "
            f"{customers[value].dtype} (e.g. {customers[value].iloc[0]!r}); pass a numeric "
            f"column or value=None"
        )


def _owner_ranks(levels: pd.Series | None, owners: pd.Index, params: PolicyParams) -> np.ndarray:
    """Seniority rank per owner (0 = most junior level; -1 = none); all 0 when unchecked."""
    if levels is None:
        return np.zeros(len(owners), dtype="int64")
    levels = levels.reindex(owners)
    unknown = levels.notna() & ~levels.isin(params.seniority_order)
    if unknown.any():
        raise DataError(
            f"column {params.seniority!r}: {int(unknown.sum())} owners have a seniority that "
            f"policies.seniority_order ({', '.join(params.seniority_order)}) does not list, "
            f"e.g. {unknown[unknown].index[0]!r}: {levels[unknown].iloc[0]!r}; add it to "
            f"seniority_order (lowest first) or correct the data"
        )
    return pd.Index(params.seniority_order).get_indexer(levels).astype("int64")


def _owner_capacity(levels: pd.Series | None, owners: pd.Index, params: PolicyParams) -> np.ndarray:
    """Capacity per owner; every owner must have one."""
    unknown = sorted(set(params.owner_capacity) - set(owners))
    if unknown:
        raise ParameterError(
            f"parameter 'policies.owner_capacity' names {len(unknown)} owners who hold no "
            f"customer in column {params.owner!r}, e.g. {unknown[0]!r} (owners: "
            f"{', '.join(owners[:5])}{' ...' if len(owners) > 5 else ''}); correct or remove them"
        )
    capacity = owner_capacities(levels, owners, params)
    lacking = capacity.isna()
    if lacking.any():
        level = None if levels is None else levels.reindex(owners)[lacking].iloc[0]
        example = capacity.index[lacking][0]
        where = (
            f"seniority level {level!r}: add '{level}: <contacts per month>' or a default to"
            if isinstance(level, str)
            else "no seniority level: add 'default: <contacts per month>' to"
        )
        raise ParameterError(
            f"{int(lacking.sum())} owners have no capacity, e.g. {example!r} with {where} "
            f"parameter 'policies.capacity' (or the owner to 'policies.owner_capacity')"
        )
    return capacity.to_numpy(dtype="float64")


def _model(
    tier_code: np.ndarray,
    owner_code: np.ndarray,
    rank: np.ndarray,
    capacity: np.ndarray,
    policies: Mapping[str, TierPolicy],
    params: PolicyParams,
) -> tuple[_Model, list[str]]:
    """Build the aggregated problem; return it and the seniority level of each vacancy."""
    n_tiers, n_owners = len(policies), len(rank)
    load = np.array([DAYS_PER_MONTH / p.cadence_days for p in policies.values()])
    order = {level: i for i, level in enumerate(params.seniority_order)}
    required = np.array(
        [order.get(p.seniority, -1) if params.seniority else -1 for p in policies.values()]
    )
    size = np.bincount(tier_code * n_owners + owner_code, minlength=n_tiers * n_owners).reshape(
        n_tiers, n_owners
    )
    eligible = rank[None, :] >= required[:, None]
    lacking = (size.sum(axis=1) > 0) & ~eligible.any(axis=1)
    vacancy_ranks = sorted(set(required[lacking].tolist()))
    vacancy = lacking[:, None] & (required[:, None] == np.array(vacancy_ranks)[None, :])
    eligible = np.hstack([eligible, vacancy.reshape(n_tiers, len(vacancy_ranks))])
    size = np.hstack([size, np.zeros((n_tiers, len(vacancy_ranks)), dtype=size.dtype)])
    capacity = np.concatenate([capacity, np.zeros(len(vacancy_ranks))])
    held = load @ size
    model = _Model(
        load=load,
        eligible=eligible,
        capacity=capacity,
        held=held,
        size=size,
        over=held > capacity + CAPACITY_TOLERANCE,
        vacancies=len(vacancy_ranks),
    )
    return model, [params.seniority_order[r] for r in vacancy_ranks]


def _solve(model: _Model, time_limit: float) -> tuple[np.ndarray, np.ndarray, str]:
    """Return leavers and arrivals per (tier, owner) and the status.

    Integer variables: ``y`` customers leaving each held (tier, owner) group (all of it
    where the owner may not hold the tier), ``z`` customers of a tier arriving at each owner
    allowed to hold it. Per tier, leavers = arrivals; per owner, the load after the moves
    stays within capacity, or within capacity plus a slack ``s`` when the capacities cannot
    all be met. Minimised: the customers moved, ``sum(y)`` (after the least ``sum(s)`` when
    there is slack).
    """
    # imported here: importing scipy.sparse and scipy.optimize adds warnings filters
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    zeros = np.zeros_like(model.size)
    if not model.over.any() and model.eligible[model.size > 0].all():
        return zeros, zeros, "optimal"
    started = time.perf_counter()
    n_tiers, n_owners = model.size.shape
    groups = np.argwhere(model.size > 0)
    pairs = np.argwhere(model.eligible & (model.size.sum(axis=1) > 0)[:, None])
    n_y, n_z = len(groups), len(pairs)
    size = model.size[groups[:, 0], groups[:, 1]].astype("float64")
    free = model.eligible[groups[:, 0], groups[:, 1]]
    columns = np.arange(n_y + n_z)
    balance = sparse.coo_matrix(
        (
            np.concatenate([np.ones(n_y), -np.ones(n_z)]),
            (np.concatenate([groups[:, 0], pairs[:, 0]]), columns),
        ),
        shape=(n_tiers, n_y + n_z),
    )
    change = sparse.coo_matrix(  # load after the moves minus before, per owner
        (
            np.concatenate([-model.load[groups[:, 0]], model.load[pairs[:, 0]]]),
            (np.concatenate([groups[:, 1], pairs[:, 1]]), columns),
        ),
        shape=(n_owners, n_y + n_z),
    )
    room = model.capacity - model.held
    lower = np.concatenate([np.where(free, 0.0, size), np.zeros(n_z)])
    upper = np.concatenate([size, model.size.sum(axis=1)[pairs[:, 0]].astype("float64")])
    movers = np.concatenate([np.ones(n_y), np.zeros(n_z)])
    integer = np.ones(n_y + n_z)

    def counts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        solution = np.rint(x[: n_y + n_z]).astype("int64")
        leave, arrive = zeros.copy(), zeros.copy()
        leave[groups[:, 0], groups[:, 1]] = solution[:n_y]
        arrive[pairs[:, 0], pairs[:, 1]] = solution[n_y:]
        return _lower_tiers_first(*_cancelled(leave, arrive), model)

    def run(objective, constraints, bounds, integrality):
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= 0:
            return None, 1
        res = milp(
            objective,
            constraints=constraints,
            bounds=bounds,
            integrality=integrality,
            options={"time_limit": remaining, "mip_rel_gap": 0.0},
        )
        return res.x, res.status

    if not model.vacancies:
        x, code = run(
            movers,
            [LinearConstraint(balance, 0, 0), LinearConstraint(change, -np.inf, room)],
            Bounds(lower, upper),
            integer,
        )
        if x is not None:
            return *counts(x), _STATUS[code]
        if code != 2:  # no solution within the time, and infeasibility not proven
            return zeros, zeros, "not_solved"
    # the capacities cannot all be met: the least overload first, then the fewest moves
    no_slack = sparse.coo_matrix((n_tiers, n_owners))
    constraints = [
        LinearConstraint(sparse.hstack([balance, no_slack]), 0, 0),
        LinearConstraint(sparse.hstack([change, -sparse.identity(n_owners)]), -np.inf, room),
    ]
    bounds = Bounds(
        np.concatenate([lower, np.zeros(n_owners)]),
        np.concatenate([upper, np.full(n_owners, np.inf)]),
    )
    integrality = np.concatenate([integer, np.zeros(n_owners)])
    overload = np.concatenate([np.zeros(n_y + n_z), np.ones(n_owners)])
    first, code = run(overload, constraints, bounds, integrality)
    if first is None:
        return zeros, zeros, "not_solved"
    least = LinearConstraint(overload, -np.inf, overload @ first + CAPACITY_TOLERANCE)
    objective = np.concatenate([movers, np.zeros(n_owners)])
    second, code2 = run(objective, [*constraints, least], bounds, integrality)
    best, status = (second, _STATUS[code2]) if second is not None else (first, "time_limit")
    if code != 0:  # the least overload was not proven
        status = "time_limit"
    return *counts(best), status


def _cancelled(leave: np.ndarray, arrive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the counts without a customer leaving an owner while another of its tier comes."""
    both = np.minimum(leave, arrive)
    return leave - both, arrive - both


def _lower_tiers_first(
    leave: np.ndarray, arrive: np.ndarray, model: _Model
) -> tuple[np.ndarray, np.ndarray]:
    """Of equally few moves, move customers of lower tiers rather than of better ones.

    A customer of tier ``t`` that leaves an owner allowed to hold it (to make room) is swapped
    for one of a lower tier ``u`` the owner keeps, carrying no more contacts, while the owner
    still fits its capacity (or its overload does not grow) and the receiving owner may hold
    ``u``: the same number of moves, every constraint kept, the better customer stays. Best
    tiers first, lowest replacements first, owners in name order: deterministic.
    """
    leave, arrive = leave.copy(), arrive.copy()
    n_tiers, n_owners = leave.shape
    for t in range(n_tiers):
        for u in range(n_tiers - 1, t, -1):
            gain = model.load[t] - model.load[u]  # contacts the owner keeps in addition
            if gain < 0:
                continue
            after = model.held - model.load @ leave + model.load @ arrive
            spare = model.capacity - after + CAPACITY_TOLERANCE
            spare = np.where(model.capacity >= after, spare, 0.0)  # overloaded: no more
            room = np.full(n_owners, np.iinfo("int64").max) if gain == 0 else spare // gain
            swaps = np.minimum.reduce(
                [
                    np.where(model.eligible[t], leave[t], 0),  # left to make room only
                    model.size[u] - leave[u],
                    np.maximum(room, 0).astype("int64"),
                ]
            )
            takers = np.where(model.eligible[u], arrive[t], 0)
            total = min(int(swaps.sum()), int(takers.sum()))
            if total == 0:
                continue
            swaps = _first(swaps, total)
            takers = _first(takers, total)
            leave[t] -= swaps
            leave[u] += swaps
            arrive[t] -= takers
            arrive[u] += takers
            leave, arrive = _cancelled(leave, arrive)
    return leave, arrive


def _first(counts: np.ndarray, total: int) -> np.ndarray:
    """Return ``counts`` cut to ``total`` in all, taken from the first positions on."""
    before = np.cumsum(counts) - counts
    return np.clip(total - before, 0, counts)


_STATUS = {0: "optimal", 1: "time_limit"}


def _value_order(
    customers: pd.DataFrame,
    inside: np.ndarray,
    value: str | None,
    tier_code: np.ndarray,
    owner_code: np.ndarray,
) -> np.ndarray:
    """Return the positions among ``inside`` by tier, owner, value (missing last), table order."""
    key = (
        np.zeros(len(tier_code))
        if value is None
        else customers[value].to_numpy(dtype="float64", na_value=np.inf)[inside]
    )
    return np.lexsort((np.arange(len(tier_code)), key, owner_code, tier_code))


def _pick(
    tier_code: np.ndarray,
    owner_code: np.ndarray,
    order: np.ndarray,
    leave: np.ndarray,
    arrive: np.ndarray,
    model: _Model,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each customer's owner after the moves, the movers (in order) and their reasons."""
    n_tiers, n_owners = model.size.shape
    group = (tier_code * n_owners + owner_code)[order]
    first = np.searchsorted(group, group, side="left")
    movers = order[np.arange(len(order)) - first < leave.ravel()[group]]
    new_owner = owner_code.copy()
    new_owner[movers] = np.repeat(np.tile(np.arange(n_owners), n_tiers), arrive.ravel())
    held_by = owner_code[movers]
    reason = np.where(
        ~model.eligible[tier_code[movers], held_by], 0, np.where(model.over[held_by], 1, 2)
    )
    return new_owner, movers, reason


def _moves_table(
    ids: pd.Index,
    names: list[str],
    owners: pd.Index,
    tier_code: np.ndarray,
    owner_code: np.ndarray,
    new_owner: np.ndarray,
    movers: np.ndarray,
    reason: np.ndarray,
    model: _Model,
) -> pd.DataFrame:
    """One row per move, ordered by reason, owner, tier and the order of picking."""
    rank = np.lexsort((np.arange(len(movers)), tier_code[movers], owner_code[movers], reason))
    movers, reason = movers[rank], reason[rank]
    to = new_owner[movers]
    real = to < len(owners)
    return pd.DataFrame(
        {
            "customer_id": ids[movers].to_numpy(),
            "tier": np.array(names, dtype=object)[tier_code[movers]],
            "from_owner": owners[owner_code[movers]].to_numpy(dtype=object),
            "to_owner": np.where(real, owners.to_numpy(dtype=object)[np.where(real, to, 0)], None),
            "reason": pd.Categorical.from_codes(reason, categories=list(REASONS)),
            "contacts_per_month": model.load[tier_code[movers]],
        }
    )


def _owner_table(
    owners: pd.Index,
    levels: pd.Series | None,
    tier_code: np.ndarray,
    owner_code: np.ndarray,
    new_owner: np.ndarray,
    model: _Model,
) -> pd.DataFrame:
    """Per owner: accounts, contacts, utilisation and seniority before and after the moves."""
    n = len(owners)
    capacity = model.capacity[:n]
    held = {"before": owner_code, "after": new_owner}
    figures: dict[str, dict[str, np.ndarray]] = {}
    for when, code in held.items():
        code, tier = code[code < n], tier_code[code < n]  # to nobody: not held after
        contacts = np.bincount(code, weights=model.load[tier], minlength=n)
        below = ~model.eligible[tier, code]
        with np.errstate(divide="ignore", invalid="ignore"):
            utilisation = contacts / capacity
        figures[when] = {
            "accounts": np.bincount(code, minlength=n),
            "contacts": contacts,
            "utilisation": utilisation,
            "over_capacity": contacts > capacity + CAPACITY_TOLERANCE,
            "below_seniority": np.bincount(code, weights=below, minlength=n).astype("int64"),
        }
    table = pd.DataFrame(index=owners)
    if levels is not None:
        table["seniority"] = levels.reindex(owners)
    table["capacity"] = capacity
    for name in figures["before"]:
        for when in held:
            table[f"{name}_{when}"] = figures[when][name]
    moved = new_owner != owner_code
    table["moved_out"] = np.bincount(owner_code[moved], minlength=n)
    table["moved_in"] = np.bincount(new_owner[moved & (new_owner < n)], minlength=n)
    over = figures["after"]["contacts"] - capacity
    table["missing_capacity"] = np.where(over > CAPACITY_TOLERANCE, over, 0.0)
    return table
