"""The admin of every model that keeps its history (django-simple-history), and of records the
app's rules lock (a final review, an accepted return).

simple_history's Revert saves a historical row over the stored one, checking permissions on the
historical row only: a final review went back to draft, its frozen figures gone. Here a revert
is refused when the record as stored, or the row reverted to, is locked, and every admin save
moves a versioned record's version on, as the app's saves do."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class Lockable:
    """An admin (or inline) whose objects the app's rules may lock (`is_locked`): a locked one
    is shown read-only and cannot be deleted."""

    def is_locked(self, obj) -> bool:
        return False

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and self.is_locked(obj)) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and self.is_locked(obj)) and super().has_delete_permission(
            request, obj
        )


class HistoryAdmin(Lockable, SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """The page of one historical row, whose Revert is refused (403, and no button) unless
        the record may be changed as stored now and neither it nor the row is locked."""
        if not self._may_revert(request, unquote(object_id), version_id):
            if request.method == "POST":
                raise PermissionDenied
            extra_context = {**(extra_context or {}), "revert_disabled": True}
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _may_revert(self, request, object_id, version_id) -> bool:
        record = self.model.history.filter(
            **{self.model._meta.pk.attname: object_id}, history_id=version_id
        ).first()
        if record is None:
            return False
        current = self.model._default_manager.filter(pk=object_id).first()
        return self.has_change_permission(request, current) and not (
            self.is_locked(record.instance) or (current is not None and self.is_locked(current))
        )

    def save_model(self, request, obj, form, change):
        """A versioned record's version moves on with every admin save (a revert would bring
        an old one back), so that a form opened before it is refused as stale."""
        if change and hasattr(obj, "version"):
            stored = (
                type(obj)
                ._default_manager.select_for_update()
                .filter(pk=obj.pk)
                .values_list("version", flat=True)
                .first()
            )
            if stored is not None:
                obj.version = stored + 1
        super().save_model(request, obj, form, change)
