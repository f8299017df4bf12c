"""The collaborative plan, the commitments and the trust log as CSV files for spreadsheets.

A downloaded file leaves Rekan and gets forwarded, so it holds shared content
only, whoever downloads it: never internal notes, never the named person of a
role (facilitators read those in the app). The one exception is asked for:
a facilitator may tick "include internal texts" for the trust log.
"""

from __future__ import annotations

import csv
import io
import zoneinfo
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from engagements import selectors
from engagements.domain.schedules import zone_of
from engagements.models import Commitment, CommitmentState, Partnership, TrustEntry
from partners.transfer import export_cell


def plan_csv(partnership: Partnership) -> str:
    """The plan, one row per activity, one RACI column per member organization.

    UTF-8 with a byte order mark, so that Excel reads Indonesian names right.
    Three queries whatever the size of the plan.
    """
    members = selectors.partnerships.members_of(partnership)
    activities = selectors.plans.plan_activities(partnership)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [_("Activity"), _("Goal"), _("Due date"), _("Status"), _("Shared notes")]
    writer.writerow([export_cell(cell) for cell in [*header, *(m.organization.name for m in members)]])
    for row in selectors.plans.roles_matrix(activities, members):
        activity = row.activity
        cells = [
            activity.title,
            activity.goal.statement if activity.goal else "",
            activity.due_date.isoformat() if activity.due_date else "",
            activity.get_status_display(),
            activity.shared_notes,
            *(role.role if role else "" for _member, role in row.cells),
        ]
        writer.writerow([export_cell(cell) for cell in cells])
    return "\ufeff" + buffer.getvalue()


def trust_log_csv(partnership: Partnership, entries: Iterable[TrustEntry], *, internal: bool = False) -> str:
    """The trust log, oldest first: what each entry says, its number and its link in the chain.

    Only the entries the downloader may read arrive here; internal texts are
    written only when a facilitator chose to include them. No names of
    people: the subject column names groups, revisions and check-ins.
    """
    zone = zoneinfo.ZoneInfo(zone_of(partnership))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [_("Number"), _("Kind"), _("Happened at"), _("Recorded at"), _("About"), _("Shared text")]
    if internal:
        header.append(_("Internal text"))
    header += [_("Corrects entry"), _("Hash"), _("Previous hash")]
    writer.writerow([export_cell(cell) for cell in header])
    for entry in entries:
        subject = getattr(entry, "subject", None)
        cells: list[object] = [
            entry.sequence,
            entry.get_kind_display(),
            timezone.localtime(entry.happened_at, zone).isoformat(timespec="minutes"),
            timezone.localtime(entry.recorded_at, zone).isoformat(timespec="minutes"),
            subject.label if subject else "",
            entry.shared_text,
        ]
        if internal:
            cells.append(entry.internal_text)
        cells += [entry.corrects.sequence if entry.corrects else "", entry.hash, entry.previous_hash]
        writer.writerow([export_cell(cell) for cell in cells])
    return "\ufeff" + buffer.getvalue()


def commitments_csv(partnership: Partnership, commitments: Iterable[Commitment]) -> str:
    """The commitments, due first: who promised what to whom, by when, and what became of it.

    Organizations only, never the named person; never the internal notes,
    whoever downloads the file. The reason and the dispute note are shared
    texts (partner members read them on the commitment's page).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [
        _("Commitment"),
        _("Promised by"),
        _("Promised to"),
        _("Due on"),
        _("Made where"),
        _("State"),
        _("Confirmation"),
        _("Reason"),
        _("Why it is disputed"),
        _("Renegotiated as"),
    ]
    writer.writerow([export_cell(cell) for cell in header])
    for commitment in commitments:
        # A group's name, or the side ("The facilitating side", "All members"); never a person's name.
        by = commitment.promised_by.name if commitment.promised_by else commitment.get_promised_by_side_display()
        to = commitment.promised_to.name if commitment.promised_to else commitment.get_promised_to_side_display()
        cells: list[object] = [
            commitment.text,
            by,
            to,
            commitment.due_on.isoformat(),
            commitment.get_origin_display(),
            commitment.get_state_display(),
            commitment.get_confirmation_display()
            if commitment.state in (CommitmentState.KEPT, CommitmentState.KEPT_LATE)
            else "",
            commitment.reason,
            commitment.dispute_note,
            commitment.renegotiated_as.due_on.isoformat() if commitment.renegotiated_as else "",
        ]
        writer.writerow([export_cell(cell) for cell in cells])
    return "\ufeff" + buffer.getvalue()
