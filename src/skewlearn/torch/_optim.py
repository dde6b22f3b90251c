"""Sharpness-aware minimisation: SAM (Foret et al., ICLR 2021) and ImbSAM (Zhou et al., ICCV 2023)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import Tensor
from torch.optim import Optimizer

from ._class_counts import CountsLike, as_class_counts


class SAM(Optimizer):
    r"""Sharpness-aware minimisation around any torch optimiser.

    Foret, Kleiner, Mobahi and Neyshabur, "Sharpness-Aware Minimization for Efficiently
    Improving Generalization", ICLR 2021: each step first moves the weights to the worst
    point of a ``rho``-ball, ``w + e``, ``e = rho g / ||g||``, takes the gradient there, moves
    back to ``w`` and lets the base optimiser step with that gradient.

    ``step(closure)`` follows PyTorch's closure convention (the closure clears the gradients,
    computes the loss, calls ``backward`` and returns the loss) and calls it twice, so SAM
    works as a skorch ``optimizer`` (``optimizer=SAM, optimizer__base_optimizer=torch.optim.SGD``).
    :meth:`first_step` and :meth:`second_step` are there for hand-written loops.

    Parameters
    ----------
    params : iterable of Tensor or of dict
    base_optimizer : type of torch.optim.Optimizer
        Its class, e.g. ``torch.optim.SGD``; built on the same parameter groups.
    rho : float, default=0.05
        Radius of the neighbourhood, ``> 0``.
    **kwargs
        Passed to ``base_optimizer`` (``lr``, ``momentum``, ...).

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch import SAM
    >>> model = torch.nn.Linear(3, 2)
    >>> opt = SAM(model.parameters(), torch.optim.SGD, rho=0.05, lr=0.1)
    >>> x, y = torch.randn(8, 3), torch.randint(0, 2, (8,))
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = torch.nn.functional.cross_entropy(model(x), y)
    ...     loss.backward()
    ...     return loss
    >>> loss = opt.step(closure)
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict[str, Any]],
        base_optimizer: type[Optimizer],
        rho: float = 0.05,
        **kwargs: Any,
    ) -> None:
        if rho <= 0:
            raise ValueError(f"rho must be > 0, got {rho}.")
        super().__init__(params, dict(rho=rho, **kwargs))
        self.base_optimizer = base_optimizer(self.param_groups, **kwargs)
        # One set of groups for both, so learning-rate schedulers on SAM reach the base.
        self.param_groups = self.base_optimizer.param_groups
        self.defaults.update(self.base_optimizer.defaults)

    @torch.no_grad()
    def _grad_norm(self) -> Tensor:
        grads = [
            p.grad.norm(2)
            for group in self.param_groups
            for p in group["params"]
            if p.grad is not None
        ]
        if not grads:
            return torch.zeros(())
        return torch.linalg.vector_norm(torch.stack(grads), 2)

    @torch.no_grad()
    def first_step(self, zero_grad: bool = False) -> None:
        """Move to ``w + rho g / ||g||`` with the gradient now in ``.grad``."""
        norm = self._grad_norm()
        for group in self.param_groups:
            scale = group["rho"] / (norm + 1e-12)
            for p in group["params"]:
                if p.grad is None:
                    continue
                e_w = p.grad * scale.to(p)
                p.add_(e_w)
                self.state[p]["e_w"] = e_w
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def second_step(self, zero_grad: bool = False) -> None:
        """Move back to ``w`` and step the base optimiser with the gradient now in ``.grad``."""
        self._restore()
        self.base_optimizer.step()
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def _restore(self) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                e_w = self.state[p].pop("e_w", None)
                if e_w is not None:
                    p.sub_(e_w)

    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor:  # type: ignore[override]
        if closure is None:
            raise ValueError(
                "SAM needs a closure that clears the gradients, computes the loss, calls "
                "backward() and returns the loss; or call first_step() and second_step()."
            )
        closure = torch.enable_grad()(closure)
        loss = closure()
        self.first_step(zero_grad=True)
        closure()
        self.second_step()
        return loss

    def state_dict(self) -> dict[str, Any]:
        # SAM's own state is the transient perturbation; what persists is the base's.
        return self.base_optimizer.state_dict()

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.base_optimizer.load_state_dict(state_dict)
        self.param_groups = self.base_optimizer.param_groups


class ImbSAM(SAM):
    r"""Class-aware SAM: sharpness is minimised for the tail-class loss only.

    Zhou, Qu, Zhang, Li, Xia, Xu and Zhang, "ImbSAM: A Closer Look at Sharpness-Aware
    Minimization in Class-Imbalanced Recognition", ICCV 2023. The batch loss is split into
    head and tail parts, ``L = L_H + L_T`` (tail = classes with fewer than ``tail_threshold``
    training samples), and the update uses

    ``g = grad L_H(w) + grad L_T(w + e_T)``, ``e_T = rho grad L_T(w) / ||grad L_T(w)||``,

    so the head classes, which SAM tends to over-regularise, get plain gradients.

    ``step(closure)`` takes a closure that computes, *without* calling ``backward``, the
    per-sample losses and the targets of the batch: ``closure() -> (losses, targets)``. It is
    called twice. A batch with no tail sample gets a plain step.

    Parameters
    ----------
    params : iterable of Tensor or of dict
    base_optimizer : type of torch.optim.Optimizer
    class_counts : sequence or Tensor of shape (n_classes,)
        Training samples per class.
    tail_threshold : float
        Classes with fewer samples are tail classes (the paper uses 100 on CIFAR-LT).
    rho : float, default=0.05
    **kwargs
        Passed to ``base_optimizer``.

    Attributes
    ----------
    is_tail : Tensor of shape (n_classes,), bool
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict[str, Any]],
        base_optimizer: type[Optimizer],
        class_counts: CountsLike,
        tail_threshold: float,
        rho: float = 0.05,
        **kwargs: Any,
    ) -> None:
        super().__init__(params, base_optimizer, rho, **kwargs)
        self.is_tail = as_class_counts(class_counts, allow_zero=True) < tail_threshold

    def _split(self, losses: Tensor, targets: Tensor) -> tuple[Tensor, Tensor]:
        if losses.shape != targets.shape:
            raise ValueError(
                "ImbSAM's closure must return per-sample losses and targets of the same shape, "
                f"got {tuple(losses.shape)} and {tuple(targets.shape)}."
            )
        tail = self.is_tail.to(targets.device)[targets]
        # Both parts are divided by the whole batch, so L_H + L_T is the batch mean.
        zero = torch.zeros_like(losses)
        n = len(losses)
        return torch.where(tail, zero, losses).sum() / n, torch.where(tail, losses, zero).sum() / n

    def step(self, closure: Callable[[], tuple[Tensor, Tensor]] | None = None) -> Tensor:  # type: ignore[override]
        if closure is None:
            raise ValueError(
                "ImbSAM needs a closure returning (per-sample losses, targets) without calling "
                "backward()."
            )
        closure = torch.enable_grad()(closure)
        losses, targets = closure()
        head, tail = self._split(losses, targets)
        self.zero_grad()
        has_tail = bool(self.is_tail.to(targets.device)[targets].any())
        head.backward(retain_graph=has_tail)
        head_grads = {
            p: p.grad.clone()
            for group in self.param_groups
            for p in group["params"]
            if p.grad is not None
        }
        if has_tail:
            self.zero_grad()
            tail.backward()
            self.first_step(zero_grad=True)
            _, perturbed_tail = self._split(*closure())
            perturbed_tail.backward()
            self._restore()
            with torch.no_grad():
                for p, g in head_grads.items():
                    if p.grad is None:
                        p.grad = g
                    else:
                        p.grad.add_(g)
        self.base_optimizer.step()
        return (head + tail).detach()
