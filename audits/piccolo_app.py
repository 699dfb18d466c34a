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
    ManagedBranch,
    OrgSettings,
    PersonalDataErasure,
    Profile,
    Region,
    SentEmail,
    Shift,
    Staff,
    UserSession,
    Visit,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
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
        WebhookEndpoint,
        WebhookEvent,
        WebhookDelivery,
        PersonalDataErasure,
    ],
    migration_dependencies=["piccolo.apps.user.piccolo_app", "checklists.piccolo_app"],
    commands=[],
)
