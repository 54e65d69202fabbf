from flask import Blueprint


class ShelfBlueprint(Blueprint):
    """Each section of the site is a blueprint of its own, mounted where its maker says."""

    def __init__(self, name, prefix="/shelf", **options):
        super().__init__(name, __name__, url_prefix=prefix, **options)
