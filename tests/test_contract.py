"""The estimator contract on every public estimator of skewlearn, found from ``__all__``.

Every public module's ``__all__`` is searched for classes derived from scikit-learn's
``BaseEstimator`` (re-exports from imbalanced-learn included), so a new estimator cannot skip
the checks: it must get an entry in :data:`SETTINGS` (small, fast parameters) or in
:data:`PARAMETER_CHECKS_ONLY` (with the reason), or ``test_every_estimator_has_settings``
fails. Each instance gets scikit-learn's checks and, for samplers and classifiers,
imbalanced-learn's (see ``estimator_checks.py``, which holds the known failures).

Every estimator is also checked as a user builds it: default-constructed, given only what it
cannot be built without (:data:`REQUIRED`) and seeded where it takes a ``random_state``
(scikit-learn's checks seed estimators themselves in most checks, imbalanced-learn's do not).
Defaults that equal a settings entry are not checked twice; :data:`SETTINGS_FIT_CHECKS_ONLY`
get only the checks that never fit at their defaults, each with the reason.

Wrappers that cannot be built without an estimator get :data:`INNER_CLASSIFIER`, a fast,
deterministic, probabilistic classifier.

The torch layer needs the ``torch`` extra (``torch`` and ``skorch``); its modules are
skipped only when those packages are not installed, and fail loudly on any other import error.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import inspect
import pkgutil
from types import ModuleType

import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils.estimator_checks import check_param_validation

import skewlearn
from estimator_checks import (
    KNOWN_FAILURES,
    _check_name,
    _test_id,
    _unwrap,
    all_checks,
    expected_failed_checks,
)
from skewlearn.regression import SMOTER, Relevance

# The inner estimator of wrappers that need one.
INNER_CLASSIFIER = LogisticRegression


def PIPELINE_STEPS():
    """The steps a pipeline needs: a scaler that takes weights and the inner classifier."""
    from sklearn.preprocessing import StandardScaler

    # with_mean=False: it scales sparse input too, which scikit-learn 1.6's checks pass.
    return [("scale", StandardScaler(with_mean=False)), ("learner", INNER_CLASSIFIER())]


# Public modules that need an optional extra: module prefix -> (extra, the distributions it
# installs, as pyproject.toml's [project.optional-dependencies] names them). Asked of the
# installed distributions, never by importing: the tests/torch folder on sys.path would pass
# for an empty "torch" namespace package, and that stub in sys.modules breaks scipy's and
# scikit-learn's array-API checks for every later test.
OPTIONAL_LAYERS = {"skewlearn.torch": ("torch", ("torch", "skorch"))}

# The contract checks' targets are small class-like integers; a relevance that makes the low
# values rare makes the checks exercise resampling, not only the "nothing to do" path.
LOW_IS_RARE = Relevance(control_points=[(0, 1), (1, 0)])

# class name -> small, fast parameters: mostly sizes (n_estimators, folds, catalog) and seeds,
# so the defaults' behaviour is what is checked; a list adds variants for paths the defaults
# do not reach on the checks' data.
SETTINGS: dict[str, dict | list[dict]] = {
    # skewlearn.resample: ours
    "ADASYN": {"random_state": 0},
    "AllKNN": {},
    "BorderlineSMOTE": {"random_state": 0},
    "CondensedNearestNeighbour": {"random_state": 0},
    "EditedNearestNeighbours": {},
    "NearMiss": [{}, {"version": 3}],
    "NeighbourhoodCleaningRule": {},
    "OneSidedSelection": {"random_state": 0},
    "RepeatedEditedNearestNeighbours": {},
    "SMOTE": {"random_state": 0},
    "SMOTEENN": {"random_state": 0},
    "SMOTETomek": {"random_state": 0},
    "TomekLinks": {},
    "Pipeline": {"steps": PIPELINE_STEPS()},
    # skewlearn.resample: re-exported from imbalanced-learn (its own test settings)
    "ClusterCentroids": {
        "random_state": 0,
        "voting": "soft",
        "estimator": KMeans(n_init=1, random_state=0),
    },
    "InstanceHardnessThreshold": {"random_state": 0},
    "KMeansSMOTE": {"random_state": 0, "kmeans_estimator": 12},
    "RandomOverSampler": {"random_state": 0},
    "RandomUnderSampler": {"random_state": 0},
    "SMOTEN": {"random_state": 0},
    "SMOTENC": {"categorical_features": [0], "random_state": 0},
    "SVMSMOTE": {"random_state": 0},
    # skewlearn.ensemble
    "AdaCostClassifier": {"n_estimators": 4, "random_state": 0},
    "AdaUBoostClassifier": {"n_estimators": 4, "random_state": 0},
    "AsymBoostClassifier": {"n_estimators": 4, "random_state": 0},
    "BalanceCascadeClassifier": {"n_estimators": 4, "random_state": 0},
    "EasyEnsembleClassifier": {"n_estimators": 3, "random_state": 0},
    "OverBaggingClassifier": {"n_estimators": 4, "random_state": 0},
    "OverBoostClassifier": {"n_estimators": 4, "random_state": 0},
    "RUSBoostClassifier": {"n_estimators": 4, "random_state": 0},
    "SMOTEBaggingClassifier": {"n_estimators": 3, "k_neighbors": 2, "random_state": 0},
    "SMOTEBoostClassifier": {"n_estimators": 3, "k_neighbors": 2, "random_state": 0},
    "SelfPacedEnsembleClassifier": {"n_estimators": 4, "random_state": 0},
    "UnderBaggingClassifier": {"n_estimators": 4, "random_state": 0},
    # skewlearn.decision
    "BiasCorrectedClassifier": {"estimator": INNER_CLASSIFIER(), "random_state": 0},
    "CalibratedClassifier": {"estimator": INNER_CLASSIFIER(), "cv": 2},
    "DecisionTunedClassifier": {"estimator": INNER_CLASSIFIER(), "cv": 2},
    "LogitAdjustedClassifier": {"estimator": INNER_CLASSIFIER(), "tau": "cv", "cv": 2},
    "PriorCorrectedClassifier": {"estimator": INNER_CLASSIFIER()},
    # skewlearn.select
    "AutoBalancedClassifier": {"strategies": ["logreg", "tree+balanced"], "cv": 2, "n_repeats": 1},
    # skewlearn.regression
    "RegressionRandomOverSampler": {"random_state": 0},
    "RegressionRandomUnderSampler": {"random_state": 0},
    "SMOTER": [{"random_state": 0}, {"relevance": LOW_IS_RARE, "random_state": 0}],
    "SMOGN": [{"random_state": 0}, {"relevance": LOW_IS_RARE, "random_state": 0}],
    "ResampledRegressor": {
        "regressor": DecisionTreeRegressor(random_state=0),
        "sampler": SMOTER(random_state=0),
    },
    "WeightedRegressor": {},
    # skewlearn.active
    "ClassBalancedSelfTraining": [
        {"estimator": INNER_CLASSIFIER()},
        {"estimator": INNER_CLASSIFIER(), "prior": "uniform", "max_iter": None},
    ],
}

# parameter -> what a default-constructed estimator that requires it gets.
REQUIRED = {
    "estimator": INNER_CLASSIFIER,
    "categorical_features": lambda: [0],
    "steps": PIPELINE_STEPS,
}

# class name -> why its default instance gets only the checks that never fit (its fitting
# checks run on its settings entry, the same code with a smaller search).
SETTINGS_FIT_CHECKS_ONLY = {
    "AutoBalancedClassifier": (
        "the default selector cross-validates its whole strategy catalog (26 strategies x 5 "
        "folds) on every fit: about an hour for the checks' 60-odd fits on 2 cores, against "
        "seconds for the settings entry (2 strategies, 2 folds)"
    ),
}

# class name -> why it is an estimator only in name: it gets the checks that never fit.
PARAMETER_CHECKS_ONLY = {
    "Relevance": "a relevance function is fitted on a target alone, fit(y), not on (X, y)",
}
_NO_FIT_CHECKS = {
    "check_estimator_cloneable",
    "check_estimator_repr",
    "check_estimator_tags_renamed",
    "check_get_params_invariance",
    "check_mixin_order",
    "check_no_attributes_set_in_init",
    "check_parameters_default_constructible",
    "check_set_params",
    "check_valid_tag_types",
}


def _installed(distribution: str) -> bool:
    try:
        importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _missing_extra(name: str) -> str | None:
    """What to install for module ``name``, or None when nothing is missing."""
    for prefix, (extra, probes) in OPTIONAL_LAYERS.items():
        if name == prefix or name.startswith(prefix + "."):
            missing = [probe for probe in probes if not _installed(probe)]
            if missing:
                return f"pip install 'skewlearn[{extra}]' ({', '.join(missing)} missing)"
    return None


def _public_modules() -> dict[str, ModuleType | BaseException | None]:
    """Every public module of skewlearn: the module, the error importing it raised, or None
    when it needs an extra that is not installed."""
    found: dict[str, ModuleType | BaseException | None] = {"skewlearn": skewlearn}

    def walk(package: ModuleType) -> None:
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if info.name.rsplit(".", 1)[1].startswith("_"):
                continue
            if _missing_extra(info.name):
                found[info.name] = None
                continue
            try:
                module = importlib.import_module(info.name)
            except Exception as exc:  # reported by test_every_public_module_imports
                found[info.name] = exc
                continue
            found[info.name] = module
            if info.ispkg:
                walk(module)

    walk(skewlearn)
    return found


def _public_estimators(modules) -> dict[str, list[type]]:
    """Class name -> the distinct BaseEstimator classes exported under that name."""
    classes: dict[str, list[type]] = {}
    for module in modules.values():
        if not isinstance(module, ModuleType):
            continue
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                same = classes.setdefault(obj.__name__, [])
                if obj not in same:
                    same.append(obj)
    return classes


def _instances(classes) -> tuple[list[BaseEstimator], dict[str, str]]:
    """One instance per settings entry, and the error of each entry that cannot be built."""
    built, errors = [], {}
    for name, (cls, *_) in sorted(classes.items()):
        if name in PARAMETER_CHECKS_ONLY:
            variants = [{}]
        elif name in SETTINGS:
            variants = SETTINGS[name] if isinstance(SETTINGS[name], list) else [SETTINGS[name]]
        else:
            continue
        for params in variants:
            try:
                built.append(cls(**{k: clone(v, safe=False) for k, v in params.items()}))
            except Exception as exc:  # reported by test_every_setting_builds
                errors[f"{name}({params})"] = repr(exc)
    return built, errors


def _default_instances(classes, instances) -> list[BaseEstimator]:
    """Each estimator as a user builds it (see the module docstring), unless a settings
    instance is the same estimator."""
    checked = {(type(e), repr(sorted(e.get_params(deep=False).items()))) for e in instances}
    built = []
    for name, (cls, *_) in sorted(classes.items()):
        if name in PARAMETER_CHECKS_ONLY:
            continue
        needed = [
            p.name
            for p in inspect.signature(cls).parameters.values()
            if p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        ]
        estimator = cls(**{p: REQUIRED[p]() for p in needed})
        if "random_state" in estimator.get_params(deep=False):
            estimator.set_params(random_state=0)
        if (cls, repr(sorted(estimator.get_params(deep=False).items()))) not in checked:
            built.append(estimator)
    return built


MODULES = _public_modules()
ESTIMATORS = _public_estimators(MODULES)
INSTANCES, BUILD_ERRORS = _instances(ESTIMATORS)
DEFAULTS = _default_instances(ESTIMATORS, INSTANCES)


def _pairs(estimator):
    pairs = all_checks(estimator)
    if type(estimator).__name__ in PARAMETER_CHECKS_ONLY:
        pairs = [p for p in pairs if _check_name(_unwrap(p)[1]) in _NO_FIT_CHECKS]
    return pairs


PAIRS = [pair for estimator in INSTANCES for pair in _pairs(estimator)]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_public_module_imports(name):
    missing = _missing_extra(name)
    if missing:
        pytest.skip(f"{name} needs an optional extra: {missing}")
    module = MODULES[name]
    if isinstance(module, BaseException):
        raise AssertionError(f"importing {name} failed") from module


def test_discovery_finds_every_layer():
    one_per_layer = {
        "SMOTE",
        "RandomUnderSampler",  # a re-export from imbalanced-learn
        "EasyEnsembleClassifier",
        "SelfPacedEnsembleClassifier",
        "DecisionTunedClassifier",
        "AutoBalancedClassifier",
        "SMOTER",
    }
    assert one_per_layer <= set(ESTIMATORS)


def test_every_estimator_has_settings():
    missing = sorted(set(ESTIMATORS) - set(SETTINGS) - set(PARAMETER_CHECKS_ONLY))
    assert not missing, (
        f"public estimators without contract settings: {missing}; add each to SETTINGS in "
        "tests/test_contract.py (small, fast parameters) or, if it is not fitted on (X, y), "
        "to PARAMETER_CHECKS_ONLY with the reason"
    )


def test_settings_name_public_estimators():
    if any(module is None for module in MODULES.values()):
        pytest.skip("an optional layer is not installed, so its estimators are not discovered")
    stale = sorted((set(SETTINGS) | set(PARAMETER_CHECKS_ONLY)) - set(ESTIMATORS))
    assert not stale, f"settings for classes that are no public estimator: {stale}"


def test_estimator_names_are_unique():
    shared = {name: classes for name, classes in ESTIMATORS.items() if len(classes) > 1}
    assert not shared, f"known failures are keyed by class name, which these share: {shared}"


def test_every_setting_builds():
    assert not BUILD_ERRORS


def test_known_failures_are_exact():
    """Each known failure names a public estimator and a check that runs on an instance."""
    expected = {
        (type(estimator).__name__, _check_name(_unwrap(pair)[1]))
        for estimator in INSTANCES + DEFAULTS
        for pair in _pairs(estimator)
        if _check_name(_unwrap(pair)[1]) in expected_failed_checks(estimator)
    }
    listed = {(name, check) for name, checks in KNOWN_FAILURES.items() for check in checks}
    unused = sorted(listed - expected)
    assert not unused, f"known failures that mark no check run here (remove them): {unused}"


@pytest.mark.parametrize("estimator, check", PAIRS, ids=[_test_id(*_unwrap(p)) for p in PAIRS])
def test_contract(estimator, check):
    check(estimator)


def _default_pairs(estimator):
    pairs = all_checks(estimator)
    if type(estimator).__name__ in SETTINGS_FIT_CHECKS_ONLY:
        pairs = [p for p in pairs if _check_name(_unwrap(p)[1]) in _NO_FIT_CHECKS]
    return pairs


DEFAULT_PAIRS = [pair for estimator in DEFAULTS for pair in _default_pairs(estimator)]


@pytest.mark.parametrize(
    "estimator, check", DEFAULT_PAIRS, ids=[_test_id(*_unwrap(p)) for p in DEFAULT_PAIRS]
)
def test_contract_with_defaults(estimator, check):
    check(estimator)


def test_defaults_cover_every_estimator_not_checked_at_its_defaults():
    default = {type(e).__name__ for e in DEFAULTS}
    assert {"CalibratedClassifier", "ResampledRegressor", "SMOTEBoostClassifier"} <= default
    assert set(SETTINGS_FIT_CHECKS_ONLY) <= default
    # Defaults equal to a settings entry are checked there, under their settings id.
    assert "TomekLinks" not in default


# Samplers whose _parameter_constraints do not yet name every parameter (each accepts bad
# values silently): the drop-in issue (19) completes them and empties this set.
# Estimators whose _parameter_constraints do not yet name every parameter (empty: keep it so
# a new one is listed here, with its reason, rather than its check switched off).
CONSTRAINTS_INCOMPLETE: set[str] = set()
VALIDATED = [
    pytest.param(
        estimator,
        id=type(estimator).__name__,
        marks=pytest.mark.xfail(reason="constraints incomplete")
        if type(estimator).__name__ in CONSTRAINTS_INCOMPLETE
        else (),
    )
    for estimator in INSTANCES
    if type(estimator).__module__.startswith("skewlearn")
    and hasattr(type(estimator), "_parameter_constraints")
]


@pytest.mark.parametrize("estimator", VALIDATED)
def test_parameter_constraints(estimator):
    # One constraint per parameter, and a bad type or value of any of them fails in fit with
    # scikit-learn's message naming the parameter and what it accepts.
    check_param_validation(type(estimator).__name__, estimator)
