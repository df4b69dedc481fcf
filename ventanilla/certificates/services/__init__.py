"""Writes of sick-leave certificates, one module per topic."""

from .files import FilesSweep, certificate_files_sweep
from .issue import certificate_issue
from .review import (
    certificate_audit,
    certificate_reject,
    certificate_return,
    certificate_validate,
    certificate_viewed,
)
from .submit import Upload, certificate_check, certificate_correct, certificate_submit
from .verify import Verified, certificate_verify

__all__ = [
    "FilesSweep",
    "Upload",
    "Verified",
    "certificate_audit",
    "certificate_check",
    "certificate_correct",
    "certificate_files_sweep",
    "certificate_issue",
    "certificate_reject",
    "certificate_return",
    "certificate_submit",
    "certificate_validate",
    "certificate_verify",
    "certificate_viewed",
]
