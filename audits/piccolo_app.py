import os

from piccolo.conf.apps import AppConfig

from .tables import (
    ActionEvent,
    ActionOwner,
    ApiToken,
    Audit,
    AuditChange,
    AuditDraft,
    Branch,
    CorrectiveAction,
    Evidence,
    KeptResult,
    ManagedBranch,
    OrgSettings,
    PersonalDataErasure,
    Profile,
    Region,
    ReportDelivery,
    ReportSubscription,
    SentEmail,
    Shift,
    Staff,
    UserSession,
    Visit,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="audits",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[
        Region,
        Branch,
        Shift,
        Staff,
        Profile,
        ManagedBranch,
        OrgSettings,
        ApiToken,
        UserSession,
        Visit,
        Audit,
        AuditDraft,
        Evidence,
        AuditChange,
        CorrectiveAction,
        ActionOwner,
        ActionEvent,
        SentEmail,
        PersonalDataErasure,
        KeptResult,
        ReportSubscription,
        ReportDelivery,
    ],
    migration_dependencies=["piccolo.apps.user.piccolo_app", "checklists.piccolo_app"],
    commands=[],
)
