"""Load the process catalogue from the manuals (fixtures/processes/*.json) into the engine.

Safe to run on every deploy: a definition whose steps are unchanged keeps its version; one
that changed gets a new published version (running cases stay on theirs).
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from processes.definitions import definition_import

CATALOGUE_DIR = Path(settings.BASE_DIR) / "fixtures" / "processes"


class Command(BaseCommand):
    help = "Load or update the work-process catalogue from fixtures/processes/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", dest="directory", type=Path, default=CATALOGUE_DIR)

    @transaction.atomic  # a broken file leaves the catalogue as it was
    def handle(self, *args: str, directory: Path, **options: Any) -> None:
        order_file = directory / "catalogue.json"
        codes = json.loads(order_file.read_text("utf-8")) if order_file.exists() else []
        files = {
            path.stem: path for path in directory.glob("*.json") if path.name != "catalogue.json"
        }
        ordered = [code for code in codes if code in files] + sorted(set(files) - set(codes))
        for position, code in enumerate(ordered, start=1):
            data = json.loads(files[code].read_text("utf-8"))
            try:
                version = definition_import(data, position=position)
            except ValidationError as error:
                raise CommandError(f"{files[code].name}: {'; '.join(error.messages)}") from error
            if options["verbosity"] > 1:
                self.stdout.write(f"  {code} v{version.number}")
        self.stdout.write(
            self.style.SUCCESS(f"Process catalogue: {len(ordered)} definitions loaded.")
        )
