"""The admin's index: the reviewers' queues (core.queues) and their charts above the list of models."""

from django import template

from core.queues import queue_charts_for, queues_for

register = template.Library()


def _for_signed_in(context, build):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return build(request.user)


@register.simple_tag(takes_context=True)
def review_queues(context):
    return _for_signed_in(context, queues_for)


@register.simple_tag(takes_context=True)
def review_charts(context):
    """The charts under the queues (core.queues.queue_charts_for): decisions per week, queue age."""
    return _for_signed_in(context, queue_charts_for)
