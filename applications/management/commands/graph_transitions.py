"""`manage.py graph_transitions applications.Application -o docs/img/application-states.svg`

django-fsm-2's command, made available without adding `django_fsm` to INSTALLED_APPS.
Needs the `graphviz` Python package (requirements-dev.txt) and Graphviz's `dot` binary.
"""

from django_fsm.management.commands.graph_transitions import Command as FSMGraphCommand


class Command(FSMGraphCommand):
    pass
