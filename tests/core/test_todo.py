"""core.todo: the domains fill the to-do boards; a board merges their counts in order and
keeps the nearest deadlines."""

from datetime import timedelta

from django.utils import timezone

from core import todo


def test_todo_board_merges_providers_orders_counts_and_keeps_the_nearest_deadlines():
    now = timezone.now()

    def first(actor):
        return todo.TodoBoard(
            counts=[todo.TodoCount("b", 2, "/b", order=20)],
            deadlines=[todo.TodoDeadline("x", f"later{i}", now + timedelta(days=i + 2), "/") for i in range(4)],
        )

    def second(actor):
        return todo.TodoBoard(
            counts=[todo.TodoCount("a", 1, "/a", order=10)],
            deadlines=[todo.TodoDeadline("x", "past", now - timedelta(hours=1), "/"),
                       todo.TodoDeadline("x", "soon", now + timedelta(hours=3), "/")],
        )

    todo.register_todo("test-role", first)
    todo.register_todo("test-role", second)
    todo.register_todo("test-role", second)  # registering twice adds it once
    board = todo.board_for("test-role", object(), deadlines=3)
    assert [c.label for c in board.counts] == ["a", "b"] and board.total == 3
    assert [d.title for d in board.deadlines] == ["past", "soon", "later0"]
    assert [d.urgency for d in board.deadlines] == ["late", "soon", ""]
    assert todo.board_for("a role nobody filled", object()).counts == []
