"""The collaborative plan as a CSV file for spreadsheets.

A downloaded file leaves Rekan and gets forwarded, so it holds shared content
only, whoever downloads it: never internal notes, never the named person of a
role (facilitators read those in the app).
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from engagements import selectors
from engagements.models import Partnership
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
