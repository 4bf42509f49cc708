"""Reads of the data rounds: who sees which round and which school's entry, and the board."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import RoleCode, User
from accounts.selectors import authority_for
from dmc_emis.models import DataImport, Finding, Round, RoundSchool, SchoolStatus

OFFICE_VIEWERS = (
    RoleCode.STAFF,
    RoleCode.GROUP_HEAD,
    RoleCode.DEPUTY_DIRECTOR,
    RoleCode.DIRECTOR,
    RoleCode.ADMIN,
)


def sees_whole_round(user: User) -> bool:
    """Office people with a role see every school of their office's rounds."""
    if user.is_superuser:
        return True
    if user.is_school_side or not user.office_id:
        return False
    return any(authority_for(user, role) for role in OFFICE_VIEWERS)


def rounds_visible_to(user: User) -> QuerySet[Round]:
    rounds = Round.objects.select_related("office")
    if user.is_superuser:
        return rounds
    if sees_whole_round(user):
        # The stubs reject office_id=None; Django reads it as IS NULL.
        return rounds.filter(office_id=user.office_id)  # type: ignore[misc]
    if user.is_school_side and user.school_id:
        return rounds.filter(entries__school_id=user.school_id).distinct()
    return rounds.none()


def get_round_for_user(user: User, pk: int) -> Round:
    """The round if the user may see all of it; a school's people see their entry instead."""
    round_ = get_object_or_404(rounds_visible_to(user), pk=pk)
    if not sees_whole_round(user):
        raise PermissionDenied
    return round_


def entries_visible_to(user: User) -> QuerySet[RoundSchool]:
    entries = RoundSchool.objects.select_related("round", "school", "case")
    if user.is_superuser:
        return entries
    if sees_whole_round(user):
        # The stubs reject office_id=None; Django reads it as IS NULL.
        return entries.filter(round__office_id=user.office_id)  # type: ignore[misc]
    if user.is_school_side and user.school_id:
        return entries.filter(school_id=user.school_id)
    return entries.none()


def get_entry_for_user(user: User, pk: int) -> RoundSchool:
    return get_object_or_404(entries_visible_to(user), pk=pk)


def get_finding_for_user(user: User, pk: int) -> Finding:
    finding = get_object_or_404(Finding.objects.select_related("entry"), pk=pk)
    get_entry_for_user(user, finding.entry_id)
    return finding


def get_import_for_user(user: User, pk: int) -> DataImport:
    data_import = get_object_or_404(DataImport.objects.select_related("round"), pk=pk)
    get_round_for_user(user, data_import.round_id)
    return data_import


LATEST_FIRST = F("deadline_on").desc(nulls_last=True)


def board_status_choices(round_: Round) -> list[tuple[str, str | Promise]]:
    """The board's status filter: the kind's statuses, after "not yet done" (pending)."""
    pending = _("Not yet certified") if round_.has_import else _("Not yet checked")
    return [("pending", pending), *((s.value, s.label) for s in round_.statuses)]


def filter_board(
    entries: QuerySet[RoundSchool], params, round_: Round | None = None
) -> QuerySet[RoundSchool]:
    """The board's filters from GET parameters; unknown values are ignored, never an error."""
    status = params.get("status", "")
    allowed = round_.statuses if round_ is not None else SchoolStatus.values
    done = round_.done_statuses if round_ is not None else []
    if status in allowed:
        entries = entries.filter(status=status)
    elif status == "pending":
        entries = entries.exclude(
            status__in=done or [SchoolStatus.CERTIFIED, SchoolStatus.ACKNOWLEDGED]
        )
    if params.get("issues") == "1":
        entries = entries.filter(open_findings__gt=0)
    district = str(params.get("district", "")).strip()
    if district:
        entries = entries.filter(school__district=district)
    query = str(params.get("q", "")).strip()
    if query:
        entries = entries.filter(
            Q(school__name_th__icontains=query) | Q(school__obec_code__startswith=query)
        )
    sort = params.get("sort", "")
    if sort == "activity":
        entries = entries.order_by("-last_activity_at", "school__obec_code")
    elif sort == "issues":
        entries = entries.order_by("-open_findings", "school__obec_code")
    else:
        entries = entries.order_by("school__obec_code")
    return entries


def board_entries(round_: Round) -> QuerySet[RoundSchool]:
    return RoundSchool.objects.filter(round=round_).select_related("school", "case")


def home_summary(user: User) -> dict | None:
    """The home page card: the school's latest open round, or the office's rounds in progress."""
    if sees_whole_round(user):
        rounds = list(
            rounds_visible_to(user).filter(opened_at__isnull=False).order_by(LATEST_FIRST)[:3]
        )
        if not rounds:
            return None
        # Every round's entries by status in one query (not two counts per round).
        by_status: dict[int, dict[str, int]] = {round_.pk: {} for round_ in rounds}
        for round_id, status, n in (
            RoundSchool.objects.filter(round__in=rounds)
            .values("round_id", "status")
            .annotate(n=Count("pk"))
            .values_list("round_id", "status", "n")
            .order_by()
        ):
            by_status[round_id][status] = n
        return {
            "office": [
                {
                    "round": round_,
                    "done": sum(by_status[round_.pk].get(s, 0) for s in round_.done_statuses),
                    "total": sum(by_status[round_.pk].values()),
                }
                for round_ in rounds
            ]
        }
    entry = (
        entries_visible_to(user)
        .filter(round__opened_at__isnull=False)
        .order_by(F("round__deadline_on").desc(nulls_last=True))
        .first()
    )
    return {"entry": entry} if entry else None


def rounds_to_certify(user: User) -> list[RoundSchool]:
    """The school director's entries waiting for certification."""
    if not (user.is_school_side and user.school_id):
        return []
    return list(
        entries_visible_to(user)
        .filter(status=SchoolStatus.CONFIRMED, case__tasks__status="open")
        .distinct()
        .order_by("round__deadline_on")
    )
