"""Complaints for tests (and nothing else)."""

from __future__ import annotations

from typing import Any

from paradewi.complaints import services
from paradewi.complaints.models import Category, Complaint


def file_complaint(**overrides: Any) -> Complaint:
    data: dict[str, Any] = {
        "category": Category.SLOW,
        "text": "Sudah dua minggu KK saya belum jadi, mohon dibantu.",
        "contact_phone": "081234567899",
    }
    data.update(overrides)
    return services.complaint_file(**data)
