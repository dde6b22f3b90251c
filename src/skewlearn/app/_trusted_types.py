"""The exact object types a model file written by skewlearn may hold, and nothing else.

A name is ``module.name`` as skops writes it: every class, function and type it imports to
rebuild a model that ``skewlearn compare`` saved, under every supported library version (the
Cython loss classes are ``_loss.*`` before scikit-learn 1.9, ``sklearn._loss._loss.*`` after).

``tests/app/test_persist.py`` saves every strategy of the default catalog and loads it back;
when a library release adds a type, that test fails naming it ("does not trust: ..."). Check
that the name is a class of a library the model is built from, then add it here in order.
"""

TRUSTED_TYPES: frozenset[str] = frozenset(
    {
        "_loss.CyHalfBinomialLoss",
        "_loss.CyHalfMultinomialLoss",
        # Python scalars as dict keys: a decision rule's {class: value} (labels are bool, int
        # or text).
        "builtins.bool",
        "builtins.dict",
        "builtins.int",
        "builtins.list",
        "builtins.slice",
        "builtins.str",
        "builtins.tuple",
        "collections.OrderedDict",
        "collections.defaultdict",
        "imblearn.ensemble._easy_ensemble.EasyEnsembleClassifier",
        "imblearn.ensemble._forest.BalancedRandomForestClassifier",
        # Model files saved before the catalog's ros became skewlearn.resample's.
        "imblearn.over_sampling._random_over_sampler.RandomOverSampler",
        "imblearn.over_sampling._smote.base.SMOTE",
        "imblearn.pipeline.Pipeline",
        "imblearn.under_sampling._prototype_selection._random_under_sampler.RandomUnderSampler",
        "lightgbm.basic.Booster",
        "lightgbm.sklearn.LGBMClassifier",
        "numpy.bool",
        "numpy.dtype",
        "numpy.float64",
        "numpy.int64",
        "numpy.ndarray",
        "numpy.number",
        "numpy.random.PCG64",
        "numpy.random._generator.Generator",
        "numpy.str_",
        "numpy.uint64",
        "skewlearn.app._persist.TrainedModel",
        "skewlearn.decision._prior.PriorCorrectedClassifier",
        "skewlearn.decision._tuned.DecisionTunedClassifier",
        "skewlearn.ensemble._bagging.EasyEnsembleClassifier",
        "skewlearn.ensemble._bagging.UnderBaggingClassifier",
        "skewlearn.ensemble._self_paced.SelfPacedEnsembleClassifier",
        "skewlearn.resample._imblearn_samplers.RandomOverSampler",
        "skewlearn.resample._imblearn_samplers.RandomUnderSampler",
        "skewlearn.resample._pipeline.Pipeline",
        "skewlearn.resample._smote.SMOTE",
        "sklearn._loss._loss.CyHalfBinomialLoss",
        "sklearn._loss._loss.CyHalfMultinomialLoss",
        "sklearn._loss.link.Interval",
        "sklearn._loss.link.LogitLink",
        "sklearn._loss.link.MultinomialLogit",
        "sklearn._loss.loss.HalfBinomialLoss",
        "sklearn._loss.loss.HalfMultinomialLoss",
        "sklearn.compose._column_transformer.ColumnTransformer",
        "sklearn.compose._column_transformer.make_column_selector",
        "sklearn.ensemble._forest.ExtraTreesClassifier",
        "sklearn.ensemble._forest.RandomForestClassifier",
        "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
        "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.ensemble._weight_boosting.AdaBoostClassifier",
        "sklearn.impute._base.SimpleImputer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.metrics._dist_metrics.EuclideanDistance64",
        "sklearn.model_selection._split.StratifiedKFold",
        "sklearn.neighbors._kd_tree.KDTree",
        "sklearn.neighbors._unsupervised.NearestNeighbors",
        "sklearn.pipeline.Pipeline",
        "sklearn.preprocessing._data.StandardScaler",
        "sklearn.preprocessing._encoders.OneHotEncoder",
        "sklearn.preprocessing._label.LabelEncoder",
        "sklearn.tree._classes.DecisionTreeClassifier",
        "sklearn.tree._classes.ExtraTreeClassifier",
        "sklearn.tree._tree.Tree",
    }
)
