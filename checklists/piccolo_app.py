import os

from piccolo.conf.apps import AppConfig

from .tables import ChecklistItem, ChecklistSection, ChecklistTemplate, ChecklistVersion

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="checklists",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[ChecklistTemplate, ChecklistVersion, ChecklistSection, ChecklistItem],
    migration_dependencies=[],
    commands=[],
)
