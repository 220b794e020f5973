"""Migrations without django-fsm's receiver pile-up.

django-fsm-2's FSMField connects a `class_prepared` receiver (to collect the transitions of
its model) every time it is added to a class, and never disconnects it. `migrate` renders
thousands of historical models (module "__fake__") from the migration states, each with
fresh FSMField copies kept alive by those states: the receivers pile up and every model
class Django builds afterwards calls all of them. On an empty database that was more than
half of `migrate`'s 45 s (1.5 million calls). A historical model has no transition
methods to collect, so its fields' receivers are disconnected as soon as they connect;
the app's real models are untouched.
"""

from django.db.models.signals import class_prepared


def install() -> None:
    from django_fsm import FSMFieldMixin

    if getattr(FSMFieldMixin.contribute_to_class, "_historical_aware", False):
        return
    original = FSMFieldMixin.contribute_to_class

    def contribute_to_class(self, cls, name, *args, **kwargs):
        original(self, cls, name, *args, **kwargs)
        if cls.__module__ == "__fake__":
            class_prepared.disconnect(self._collect_transitions)

    contribute_to_class._historical_aware = True
    FSMFieldMixin.contribute_to_class = contribute_to_class
