"""The tables of engagements, one module per domain.

Django finds the models here, and the rest of the code imports them from
``engagements.models``: this is the one package that re-exports its names.
"""

from __future__ import annotations

from engagements.models.checkins import PARTNERSHIP_TIME_ZONES, Cadence, CheckIn, CheckInChannel, CheckInSchedule
from engagements.models.commitments import (
    CheckInLine,
    Commitment,
    CommitmentAudience,
    CommitmentOrigin,
    CommitmentSide,
    CommitmentState,
    Confirmation,
)
from engagements.models.goals import GoalBenefit, GoalStatus, ProgressUpdate, SharedGoal
from engagements.models.health import HealthSnapshot
from engagements.models.health_checks import HealthCheckAnswer, HealthCheckRound, HealthCheckSide
from engagements.models.learning import Lesson, LessonKind
from engagements.models.partnerships import MemberRole, Partnership, PartnershipMember, PartnershipStatus, StatusChange
from engagements.models.plans import Activity, ActivityRole, ActivityStatus, PlanRevision, PlanTemplate, Raci
from engagements.models.reminders import (
    DELIVERY_RANK,
    CancelReason,
    Reminder,
    ReminderChannel,
    ReminderKind,
    ReminderStatus,
    WhatsAppDelivery,
)
from engagements.models.risks import (
    FlagAcknowledgement,
    FlagKind,
    Impact,
    Likelihood,
    Risk,
    RiskCategory,
    RiskOwnerSide,
    RiskStatus,
)
from engagements.models.sharing import Invitation, InvitationChannel, ShareLink
from engagements.models.standing import Standing, StandingFlag
from engagements.models.today import TodayVisit
from engagements.models.trust import TrustEntry, TrustEntryKind

__all__ = [
    "DELIVERY_RANK",
    "PARTNERSHIP_TIME_ZONES",
    "Activity",
    "ActivityRole",
    "ActivityStatus",
    "Cadence",
    "CancelReason",
    "CheckIn",
    "CheckInChannel",
    "CheckInLine",
    "CheckInSchedule",
    "Commitment",
    "CommitmentAudience",
    "CommitmentOrigin",
    "CommitmentSide",
    "CommitmentState",
    "Confirmation",
    "FlagAcknowledgement",
    "FlagKind",
    "GoalBenefit",
    "GoalStatus",
    "HealthCheckAnswer",
    "HealthCheckRound",
    "HealthCheckSide",
    "HealthSnapshot",
    "Impact",
    "Invitation",
    "InvitationChannel",
    "Lesson",
    "LessonKind",
    "Likelihood",
    "MemberRole",
    "Partnership",
    "PartnershipMember",
    "PartnershipStatus",
    "PlanRevision",
    "PlanTemplate",
    "ProgressUpdate",
    "Raci",
    "Reminder",
    "ReminderChannel",
    "ReminderKind",
    "ReminderStatus",
    "Risk",
    "RiskCategory",
    "RiskOwnerSide",
    "RiskStatus",
    "ShareLink",
    "SharedGoal",
    "Standing",
    "StandingFlag",
    "StatusChange",
    "TodayVisit",
    "TrustEntry",
    "TrustEntryKind",
    "WhatsAppDelivery",
]
