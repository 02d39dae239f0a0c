"""好差评's table is defined with the applications it rates (``app.applications.models``)."""

from app.applications.models import Evaluation

__all__ = ["Evaluation"]
