"""Re-weighting: class-weight schemes and the sample weights they imply."""

from skewlearn.weighting._class_weight import class_weight_to_sample_weight, compute_class_weights

__all__ = ["class_weight_to_sample_weight", "compute_class_weights"]
