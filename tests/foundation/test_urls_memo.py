"""{% url %} remembers the addresses it made (issue 17); what it writes is what Django's reverse makes."""

import pytest
from django.template import Context, Template
from django.template.defaulttags import URLNode
from django.urls import NoReverseMatch, reverse, set_script_prefix

from foundation.links import _remembered
from foundation.templatetags.urls_memo import MemoURLNode


def _render(source, **context):
    return Template(source).render(Context(context))


def test_the_url_tag_is_the_remembering_one():
    node = Template("{% url 'home' %}").nodelist[0]
    assert isinstance(node, MemoURLNode) and isinstance(node, URLNode)


def test_addresses_are_reverses_own_twice_over():
    for _ in range(2):
        assert _render("{% url 'home' %}") == reverse("home")
        assert _render("{% url 'procurement:project_detail' pk %}", pk=7) == reverse(
            "procurement:project_detail", args=[7]
        )
        assert _render("{% url 'procurement:project_detail' pk=pk %}", pk="8") == reverse(
            "procurement:project_detail", kwargs={"pk": 8}
        )
        assert _render("{% url 'home' as here %}[{{ here }}]") == f"[{reverse('home')}]"


def test_a_templates_names_and_ids_are_remembered():
    _remembered.cache_clear()
    source = "{% url 'procurement:task_arrange' project task %}{% url 'home' %}"
    first = _render(source, project=3, task=4)
    assert _remembered.cache_info().currsize == 2
    assert _render(source, project=3, task=4) == first
    assert _remembered.cache_info().hits == 2
    assert first == reverse("procurement:task_arrange", args=[3, 4]) + reverse("home")


def test_objects_and_failures_are_not_remembered():
    class Thing:
        def __str__(self):
            return "9"

    assert _render("{% url 'procurement:project_detail' thing %}", thing=Thing()) == reverse(
        "procurement:project_detail", args=[9]
    )
    _remembered.cache_clear()
    with pytest.raises(NoReverseMatch):
        _render("{% url 'procurement:project_detail' 'not-a-number' %}")
    assert _render("{% url 'no-such-page' as nowhere %}[{{ nowhere }}]") == "[]"
    assert _remembered.cache_info().currsize == 0


def test_another_script_prefix_is_another_address():
    first = _render("{% url 'home' %}")
    set_script_prefix("/mounted/")
    try:
        assert _render("{% url 'home' %}") == "/mounted" + first
    finally:
        set_script_prefix("/")
