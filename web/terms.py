"""Words the templates translate from data (``{{ _(audit.status) }}``), listed here so that
pybabel extracts them: statuses, visit states, channels, weekdays, flags, dimensions and item
types. A test checks this list against the enums it mirrors."""

from __future__ import annotations

from web.i18n import N_

ROLES = (N_("shopper"), N_("manager"), N_("office"), N_("admin"))
AUDIT_STATUSES = (N_("draft"), N_("submitted"), N_("returned"), N_("published"))
TRAIL_ACTIONS = (
    N_("submitted"),
    N_("resubmitted"),
    N_("approved"),
    N_("returned"),
    N_("flag_dismissed"),
)
VISIT_STATES = (N_("upcoming"), N_("due"), N_("overdue"), N_("done"), N_("cancelled"))
CHANNELS = (N_("in person"), N_("phone"), N_("website"), N_("delivery"))
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
FLAGS = (
    N_("Visit time outside the plan's window"),
    N_("Visit in another shift than planned"),
    N_("Visit implausibly short"),
    N_("Score far from this shopper's usual"),
    N_("A photo also appears in another audit"),
    N_("The phone was far from the branch"),
    N_("Form filled too quickly for its items"),
    N_("A photo was taken outside the visit"),
)
DIMENSIONS = (
    N_("respect"),
    N_("timeliness"),
    N_("effectiveness"),
    N_("personal interest"),
    N_("trust honesty"),
    N_("ownership"),
    N_("recovery"),
    N_("follow up"),
    N_("premises channels"),
)
# A branch's place in the funnel plot, as the analysis names it (reports show the word).
FUNNEL_POSITIONS = (N_("within"), N_("above"), N_("below"))
ITEM_TYPES = (N_("yes/no"), N_("scale"), N_("choice"), N_("number"), N_("text"), N_("photo"))
# Messages made by the domain layer (which cannot import web.i18n) and shown as they are;
# templates pass them through the ``tr`` filter.
MESSAGES = (
    N_("Answer yes or no."),
    N_("Enter a number."),
    N_("Expected a photo reference."),
    N_("Expected text."),
    N_("Unknown item."),
    N_("A photo is required."),
    N_("An answer is required."),
    N_("N/A is not allowed for this item."),
    N_("Enter whole minutes."),
    N_("Enter the date and time of the visit."),
    N_("No such visit of yours."),
    N_("The visit was planned for another branch or checklist."),
    N_("No such photo of yours was uploaded."),
    N_("Say what the shopper should fix."),
    N_("Say why this flag is not a problem."),
    N_("The audit has no such flag."),
    N_("The two new passwords differ."),
    N_("The current password is wrong."),
    N_("You cannot deactivate yourself."),
    N_("You cannot take away your own admin role."),
    N_("Wrong username or password."),
    N_("Something went wrong on our side."),
    N_("Log in first."),
    N_("Your role does not allow this."),
    N_("There are no branches or no shoppers to plan with."),
    N_("The window ends before it starts."),
    N_("Name the plan."),
)
# Webhooks: what each event means (audits.webhooks.rules.EVENTS) and a delivery's status.
WEBHOOK_EVENTS = (
    N_("A shopper filed an audit (or filed a returned one again)."),
    N_("Head office approved an audit: its branch reads it now."),
    N_("Head office sent an audit back to its shopper."),
    N_("A published audit's failed item opened a corrective action."),
    N_("An open corrective action passed its due date (once per due date)."),
    N_("Head office verified a corrective action as fixed."),
    N_("An import of audit history was written."),
)
DELIVERY_STATUSES = (N_("pending"), N_("delivered"), N_("failed"))
# Common shift names: a shift head office named only so is shown in the reader's word for it
# (``audits.org.organisation.shift_names``); other names need their translations on /admin/org.
SHIFT_NAMES = (
    N_("morning"),
    N_("afternoon"),
    N_("evening"),
    N_("night"),
    N_("day"),
    N_("early"),
    N_("late"),
    N_("weekend"),
)
