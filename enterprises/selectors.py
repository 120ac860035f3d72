"""Reads of zones and enterprises, always within what the viewer may see."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property

from coordination.cache import NOTHING_SCOPED, Covers, cached, covers
from coordination.models import Body, Programme
from coordination.roles import OFFICIALS, is_administrator, sees_everything
from coordination.selectors import bodies_current_first, body_is_former, body_label

from .models import Enterprise, Organisation, OrganisationSuperior, SuperiorBodyKind, Zone
from .year_figures import year_figures


def official_zone_ids(user) -> set[int]:
    """The zones a user is an official of, with every zone inside them (parks in an economic zone)."""
    known = getattr(user, "_official_zone_ids", None)
    if known is not None:
        return known
    ids = set()
    if user.is_authenticated:
        ids = cached(
            f"official-zones:{user.pk}",
            lambda: _with_descendants(user.official_zones.all()),
            covering=NOTHING_SCOPED,
        )
    user._official_zone_ids = ids
    return ids


def zones_with_descendants(zone_ids) -> set[int]:
    """The zones with every zone inside them."""
    return _with_descendants(Zone.objects.filter(pk__in=zone_ids)) if zone_ids else set()


def _with_descendants(roots: QuerySet[Zone]) -> set[int]:
    """The ids of the zones of `roots` and of every zone inside them, in one recursive query
    (a query per level of the tree otherwise, on every page an official opens)."""
    roots_sql, params = roots.order_by().values("pk").query.sql_with_params()
    table = connection.ops.quote_name(Zone._meta.db_table)
    parent = connection.ops.quote_name(Zone._meta.get_field("parent").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE tree(id) AS ({roots_sql} UNION SELECT child.id FROM {table} child "
            f"JOIN tree ON child.{parent} = tree.id) SELECT id FROM tree",
            params,
        )
        return {zone_id for (zone_id,) in cursor.fetchall()}


def officials_seen_by(user):
    """The officials of the zones the user sees (an official sees the officials of their own
    zones), by name."""
    return (
        get_user_model()
        .objects.filter(groups__name=OFFICIALS, official_zones__in=visible_zones(user))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def scope_key(user) -> str:
    """A short string naming what the user may see, for cache keys: "all" for those who see
    everything, else a digest of their zones (with the zones inside them)."""
    if sees_everything(user):
        return "all"
    zone_ids = ",".join(map(str, sorted(official_zone_ids(user))))
    return hashlib.blake2b(zone_ids.encode(), digest_size=8).hexdigest()


def scope_covers(user, years=None) -> Covers:
    """What a value computed within the user's scope covers (coordination.cache), in `years`
    (None: every year)."""
    return covers(None if sees_everything(user) else official_zone_ids(user), years)


def visible_zones(user) -> QuerySet[Zone]:
    if sees_everything(user):
        return Zone.objects.all()
    return Zone.objects.filter(pk__in=official_zone_ids(user))


def visible_enterprises(user) -> QuerySet[Enterprise]:
    """The one place that decides which enterprises a user may see."""
    if sees_everything(user):
        return Enterprise.objects.all()
    return Enterprise.objects.filter(zone_id__in=official_zone_ids(user))


def writable_enterprises(user) -> QuerySet[Enterprise]:
    """Officials write in their zones; administrators everywhere; reviewers read only."""
    if is_administrator(user):
        return Enterprise.objects.all()
    return Enterprise.objects.filter(zone_id__in=official_zone_ids(user))


def enterprise_for(user, pk: int, *, write: bool = False) -> Enterprise:
    """The enterprise if the user may see it (or change it, with write), else 404."""
    if write:
        return get_object_or_404(writable_enterprises(user).select_related("zone"), pk=pk)
    enterprise = Enterprise.objects.select_related("zone").filter(pk=pk).first()
    if enterprise is None or not may_see_enterprise(user, enterprise):
        raise Http404
    return enterprise


def may_see_enterprise(user, enterprise: Enterprise) -> bool:
    """visible_enterprises for one enterprise in hand."""
    return sees_everything(user) or enterprise.zone_id in official_zone_ids(user)


def organisation_for(user, pk: int, *, write: bool = False) -> Organisation:
    enterprises = writable_enterprises(user) if write else visible_enterprises(user)
    return get_object_or_404(
        Organisation.objects.select_related("enterprise__zone").filter(enterprise__in=enterprises),
        pk=pk,
    )


def year_end(year: int) -> datetime.date:
    """Stock figures count what stands on 31 December of the year."""
    return datetime.date(year, 12, 31)


def operating_on(day: datetime.date) -> Q:
    """Enterprises founded by the day and not closed by it; one under construction is not yet
    operating, and one marked closed without a date counts as closed on every day."""
    return (
        (Q(founded_on__isnull=True) | Q(founded_on__lte=day))
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        & ~Q(status=Enterprise.Status.BUILDING)
        & ~Q(status=Enterprise.Status.CLOSED, closed_on__isnull=True)
    )


def operated_during(year: int) -> Q:
    """Enterprises that operated on at least one day of the year: founded by its end and not
    closed before its start (under construction or closed without a date, never). They are the
    ones expected to file a return for the year, in the assessment's completeness and in the
    reporting calendar alike."""
    return (
        (Q(founded_on__isnull=True) | Q(founded_on__lte=year_end(year)))
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=datetime.date(year, 1, 1)))
        & ~Q(status=Enterprise.Status.BUILDING)
        & ~Q(status=Enterprise.Status.CLOSED, closed_on__isnull=True)
    )


def organisations_active_on(day: datetime.date) -> Q:
    """On Organisation: founded by the day and not dissolved by it."""
    return Q(founded_on__lte=day) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))


def has_organisation_on(kind: str, day: datetime.date) -> Exists:
    """On Enterprise: it has an active organisation of the kind on the day."""
    return Exists(
        Organisation.objects.filter(
            organisations_active_on(day), enterprise=OuterRef("pk"), kind=kind
        )
    )


def writable_zones(user) -> QuerySet[Zone]:
    """The zones whose enterprises the user may create and change."""
    if is_administrator(user):
        return Zone.objects.all()
    return Zone.objects.filter(pk__in=official_zone_ids(user))


def may_write_enterprises(user) -> bool:
    return is_administrator(user) or bool(official_zone_ids(user))


def zone_for(user, pk: int) -> Zone:
    return get_object_or_404(visible_zones(user).select_related("parent"), pk=pk)


class OrderedEnterprises:
    """Ordered enterprises (with the year's return) as a sequence for a Paginator: `count` says
    how many (the caller may cache it, or count without joins), and each slice is read as dicts
    of `fields`, cached until the next write under `cache_key` (what the queryset's matches
    depend on besides the data) and the ordering.

    Beyond the first page, a slice's ids are picked in a subquery, so that PostgreSQL joins
    the zone and return of the slice's rows only, not of every row the offset skips (about
    100 ms for page 500)."""

    # Up to this many matches, the subquery sorts them rather than walk the ordering's index,
    # which reads about (page end × all enterprises ÷ matches) entries, or more when the matches
    # sort late (FDI names start alike): 126 matches of 50,000 took 15 ms to walk and 4 ms to
    # sort; 1,400 matches (an official's zones) 1.7 ms to walk and 5 ms to sort.
    SORTED_UP_TO = 500

    def __init__(
        self,
        queryset: QuerySet[Enterprise],
        *,
        year: int,
        count,
        fields,
        cache_key: str,
        covering: Covers,
    ) -> None:
        self.queryset = queryset
        self.year = year
        self._count = count
        self.fields = fields
        self.cache_key = cache_key
        self.covering = covering

    @cached_property
    def total(self) -> int:
        return self._count()

    def count(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[dict]:
        if window.start == window.stop:
            return []
        ordering = self.queryset.query.order_by
        by = ",".join(map(str, ordering))
        key = f"enterprise-rows:{self.cache_key}:{by}:{window.start}:{window.stop}"
        return cached(key, lambda: self._read(window, ordering), covering=self.covering)

    def _read(self, window: slice, ordering) -> list[dict]:
        picked = self.queryset
        if self.total <= self.SORTED_UP_TO:
            # a leading sort key that no index holds (and the same order)
            picked = picked.order_by((F("pk") * 0).asc(), *ordering)
        elif not window.start:
            return list(picked.values(*self.fields)[window])
        rows = Enterprise.objects.filter(pk__in=picked.values("pk")[window])
        rows = year_figures().with_year(rows, self.year).order_by(*ordering)
        return list(rows.values(*self.fields))


@dataclass
class ZoneNode:
    zone: Zone
    depth: int
    enterprises: int
    operating: int
    total: int = 0
    children: list["ZoneNode"] = field(default_factory=list)


def zone_tree(user, *, root: Zone | None = None) -> list[ZoneNode]:
    """The visible zones as a flat list in tree order, each with its enterprises counted (directly
    in it, operating today, and with the zones inside it), in one query."""
    operating = (
        Enterprise.objects.filter(operating_on(timezone.localdate()), zone=OuterRef("pk"))
        .order_by()
        .values("zone")
        .annotate(count=Count("pk"))
        .values("count")
    )
    zones = (
        visible_zones(user)
        .annotate(
            enterprise_count=Count("enterprises"),
            operating_count=Coalesce(Subquery(operating), 0),
        )
        .order_by("name", "pk")
    )
    nodes = {
        zone.pk: ZoneNode(zone, 0, zone.enterprise_count, zone.operating_count) for zone in zones
    }
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.zone.parent_id)
        (parent.children if parent else roots).append(node)
    if root is not None:
        roots = [nodes[root.pk]] if root.pk in nodes else []

    flat: list[ZoneNode] = []

    def walk(node: ZoneNode, depth: int) -> int:
        node.depth = depth
        flat.append(node)
        node.total = node.enterprises + sum(walk(child, depth + 1) for child in node.children)
        return node.total

    for node in roots:
        walk(node, 0)
    return flat


def current_programme_years(day: datetime.date) -> range:
    """The years of the programme running on the day, else of the latest one; else the year."""
    running = ExpressionWrapper(
        Q(start_year__lte=day.year, end_year__gte=day.year), output_field=BooleanField()
    )
    programme = Programme.objects.order_by(running.desc(), "-end_year").first()
    return programme.years if programme else range(day.year, day.year + 1)


def superior_bodies(*, kind: str | None, keep: int | None = None) -> QuerySet[Body]:
    """The bodies that may stand above an organisation of the kind (of any kind if None), and
    the body `keep` (an organisation's present one, which it may keep); current ones first."""
    allowed = SuperiorBodyKind.objects.filter(body=OuterRef("pk"))
    if kind:
        allowed = allowed.filter(kind=kind)
    bodies = Body.objects.filter(Q(Exists(allowed)) | Q(pk=keep))
    return bodies_current_first(bodies, day=timezone.localdate())


def superior_bodies_by_kind() -> list[tuple[str, list[tuple[int, str]]]]:
    """Every body that may stand above some kind of organisation, grouped by that kind (a
    body under each of its kinds), current ones first: the choices while no kind is chosen."""
    day = timezone.localdate()
    allowed = SuperiorBodyKind.objects.select_related("body__successor").order_by(
        "kind",
        Case(When(body_is_former(day, prefix="body__"), then=1), default=0),
        "body__name",
        "body__pk",
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    for row in allowed:
        groups.setdefault(row.kind, []).append((row.body_id, body_label(row.body, day=day)))
    kinds = dict(Organisation.Kind.choices)
    return [(str(kinds[kind]), bodies) for kind, bodies in groups.items()]


def superior_history(organisation: Organisation) -> list[OrganisationSuperior]:
    """The organisation's superior bodies, the latest first, each from the day it applied."""
    return list(organisation.superiors.select_related("body__successor"))


def organisations_as_of(user, day: datetime.date) -> QuerySet[Organisation]:
    """The organisations of the enterprises the user may see, each with the name of its superior
    body on the day (`superior_on`), for an export as of that day."""
    superior = OrganisationSuperior.objects.filter(
        organisation=OuterRef("pk"), since__lte=day
    ).order_by("-since")
    return (
        Organisation.objects.filter(enterprise__in=visible_enterprises(user))
        .filter(founded_on__lte=day)
        .annotate(superior_on=Subquery(superior.values("body__name")[:1]))
        .select_related("enterprise__zone")
        .order_by("enterprise__zone__name", "enterprise__name", "kind", "founded_on", "pk")
    )


def organisations_of(enterprise: Enterprise) -> list[Organisation]:
    return list(enterprise.organisations.select_related("superior_body"))


@dataclass
class ReturnYear:
    year: int
    annual_return: object | None


def return_years(*, returns: list, years: range) -> list[ReturnYear]:
    """One row per year that has a return or belongs to the current programme, latest first."""
    by_year = {annual_return.year: annual_return for annual_return in returns}
    every_year = sorted({*by_year, *years}, reverse=True)
    return [ReturnYear(year, by_year.get(year)) for year in every_year]


@dataclass
class FieldChange:
    label: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: object
    subject: str
    created: bool
    changes: list[FieldChange]
    reason: str


def enterprise_history(*, enterprise: Enterprise) -> list[HistoryEntry]:
    """Who changed which field of the enterprise and its organisations, from what to what, when;
    newest first, in a fixed number of queries."""
    records = [
        *enterprise.history.select_related("history_user").order_by("history_date", "history_id"),
        *Organisation.history.filter(enterprise_id=enterprise.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id"),
    ]
    names = _related_names(records)
    entries = []
    previous_of: dict[tuple[type, int], object] = {}
    for record in records:
        key = (type(record), record.id)
        previous = previous_of.get(key)
        previous_of[key] = record
        if previous is None:
            changes = [
                FieldChange(_label(record, name), None, _display(record, name, value, names))
                for name, value in _initial_values(record)
            ]
        else:
            changes = [
                FieldChange(
                    _label(record, change.field),
                    _display(record, change.field, change.old, names),
                    _display(record, change.field, change.new, names),
                )
                for change in record.diff_against(previous).changes
            ]
        if previous is not None and not changes and not record.history_change_reason:
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                subject=record.name,
                created=previous is None,
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _tracked_fields(record):
    """The fields a person sets: not the key, nor the enterprise an organisation belongs to."""
    return [
        f
        for f in record.tracked_fields
        if f.editable and not f.primary_key and f.name != "enterprise"
    ]


def _initial_values(record):
    for model_field in _tracked_fields(record):
        value = getattr(record, model_field.attname)
        if value not in (None, ""):
            yield model_field.name, value


def _related_names(records) -> dict[type, dict[int, str]]:
    """The names of the zones and bodies the records point at, one query per kind."""
    zone_ids = {getattr(r, "zone_id", None) for r in records} - {None}
    body_ids = {getattr(r, "superior_body_id", None) for r in records} - {None}
    return {
        Zone: dict(Zone.objects.filter(pk__in=zone_ids).values_list("pk", "name"))
        if zone_ids
        else {},
        Body: {body.pk: str(body) for body in Body.objects.filter(pk__in=body_ids)}
        if body_ids
        else {},
    }


def _label(record, name: str) -> str:
    return str(record.instance_type._meta.get_field(name).verbose_name)


def _display(record, name: str, value, names) -> object:
    model_field = record.instance_type._meta.get_field(name)
    if value in (None, ""):
        return ""
    if model_field.is_relation:
        return names.get(model_field.related_model, {}).get(value, value)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return value


def may_write_enterprise(user, enterprise: Enterprise) -> bool:
    return is_administrator(user) or enterprise.zone_id in official_zone_ids(user)
