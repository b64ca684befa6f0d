"""torch's process-wide settings: read them before any workbook code runs, restore them per task.

Every task starts from these values whatever the workbook's top-level code or an earlier task
set, so a verdict never depends on task order. Settings that this torch lacks are skipped.
"""

import random


def _settings(torch):
    """(name, read, write) for each global setting a workbook can change."""
    return [
        ("grad mode", torch.is_grad_enabled, torch.set_grad_enabled),
        ("default dtype", torch.get_default_dtype, torch.set_default_dtype),
        (
            "default device",
            lambda: str(torch.get_default_device()),
            lambda d: torch.set_default_device(None if d == "cpu" else d),
        ),
        ("threads", torch.get_num_threads, torch.set_num_threads),
        (
            "anomaly detection",
            lambda: (torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()),
            lambda v: torch.autograd.set_detect_anomaly(v[0], check_nan=v[1]),
        ),
        (
            "deterministic algorithms",
            lambda: (
                torch.are_deterministic_algorithms_enabled(),
                torch.is_deterministic_algorithms_warn_only_enabled(),
            ),
            lambda v: torch.use_deterministic_algorithms(v[0], warn_only=v[1]),
        ),
        (
            "float32 matmul precision",
            torch.get_float32_matmul_precision,
            torch.set_float32_matmul_precision,
        ),
        ("warn always", torch.is_warn_always_enabled, torch.set_warn_always),
        (
            "autograd multithreading",
            torch.autograd.is_multithreading_enabled,
            torch.autograd.set_multithreading_enabled,
        ),
        (
            "CPU autocast",
            lambda: (torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu")),
            lambda v: (
                torch.set_autocast_enabled("cpu", v[0]),
                torch.set_autocast_dtype("cpu", v[1]),
            ),
        ),
        ("mkldnn", torch._C._get_mkldnn_enabled, torch._C._set_mkldnn_enabled),
        (
            "print options",
            lambda: dict(vars(torch._tensor_str.PRINT_OPTS)),
            lambda v: torch.set_printoptions(**v),
        ),
    ]


_guards = []  # context managers entered for the rest of the process (inference mode off)


def snapshot(torch) -> dict:
    saved = {}
    for name, read, _ in _settings(torch):
        try:
            saved[name] = read()
        except (AttributeError, RuntimeError, TypeError):
            pass
    return saved


def restore(torch, saved: dict, seed: int = 0) -> list[str]:
    """Put every saved setting back and seed the random generators; return what had changed."""
    changed = []
    if torch.is_inference_mode_enabled():
        guard = torch.inference_mode(False)
        guard.__enter__()
        _guards.append(guard)
        changed.append("inference mode")
    for mode_stack in ("torch_function", "torch_dispatch"):  # modes entered and never left
        length = getattr(torch._C, f"_len_{mode_stack}_stack", None)
        pop = getattr(torch._C, f"_pop_{mode_stack}_stack", None)
        while length and pop and length() > 0:
            pop()
            changed.append(f"{mode_stack.replace('_', ' ')} mode")
    for name, read, write in _settings(torch):
        if name not in saved:
            continue
        try:
            if read() != saved[name]:
                write(saved[name])
                changed.append(name)
        except (AttributeError, RuntimeError, TypeError, ValueError):
            pass
    torch.manual_seed(seed)
    random.seed(seed)
    return changed
