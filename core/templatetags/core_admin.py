"""The admin's index: the reviewers' queues (core.queues) above the list of models."""

from django import template

from core.queues import queues_for

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queues(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return queues_for(request.user)


@register.simple_tag(takes_context=True)
def review_charts(context):
    """The charts under the queues (core.queues.queue_charts_for): decisions per week, queue age."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    from core.queues import queue_charts_for

    return queue_charts_for(request.user)
