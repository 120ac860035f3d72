"""Writing the demo by natural key, so that a second run changes nothing (not even a history
row)."""

from django.db import models


class NaturalKeyWriter:
    """Writes rows by natural key, saving only what differs, and counts what it wrote."""

    def __init__(self) -> None:
        self.created = 0
        self.updated = 0
        self.history_user = None

    @staticmethod
    def _plain(value):
        return value.pk if isinstance(value, models.Model) else value

    def index(self, queryset, *key_fields: str) -> dict:
        """Existing rows by natural key, in one query."""
        attnames = [queryset.model._meta.get_field(name).attname for name in key_fields]
        return {tuple(getattr(row, a) for a in attnames): row for row in queryset}

    def sync(self, model, keys: dict, values: dict, *, existing: dict | None = None):
        key = tuple(self._plain(v) for v in keys.values())
        obj = existing.get(key) if existing is not None else model.objects.filter(**keys).first()
        if obj is None:
            obj = model(**keys, **values)
            self.created += 1
        else:
            changed = {
                name: value
                for name, value in values.items()
                if getattr(obj, model._meta.get_field(name).attname) != self._plain(value)
            }
            if not changed:
                return obj
            for name, value in changed.items():
                setattr(obj, name, value)
            self.updated += 1
        obj._history_user = self.history_user
        obj.save()
        return obj

    def sync_m2m(self, manager, objects) -> None:
        if {o.pk for o in manager.all()} != {o.pk for o in objects}:
            manager.set(objects)
            self.updated += 1

    def include(self, manager, obj) -> None:
        """Adds obj to a many-to-many relation unless it is there already."""
        if not manager.filter(pk=obj.pk).exists():
            manager.add(obj)
            self.updated += 1
