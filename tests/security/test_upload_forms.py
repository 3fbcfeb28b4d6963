"""Every upload field of the product refuses a file whose content is not what its name says.

Finds the forms with a FileField in the product apps' forms modules, so a new upload form is checked
without anyone listing it; each must run foundation.uploads (or an equivalent content check).
"""

import inspect
from importlib import import_module

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

PRODUCT_APPS = ("foundation", "core_groups", "procurement", "growth_bids", "partnerships", "commissioning")

EXECUTABLE = b"MZ\x90\x00" + bytes(1024)
# Forms whose content check runs in the service the view calls, not in the form: the checker named
# here must refuse the same file.
CHECKED_IN_SERVICE = {}


def _upload_forms():
    found = []
    for app in PRODUCT_APPS:
        try:
            module = import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            fields = [f for f, field in cls.base_fields.items() if isinstance(field, forms.FileField)]
            if fields:
                found.append(pytest.param(cls, fields, id=f"{app}.{name}", marks=[]))
    return found


UPLOAD_FORMS = _upload_forms()


@pytest.mark.skipif(not UPLOAD_FORMS, reason="no upload form in the product yet")
@pytest.mark.parametrize(("form_class", "fields"), UPLOAD_FORMS)
@pytest.mark.django_db
def test_an_executable_renamed_to_an_allowed_extension_is_refused(form_class, fields, settings):
    key = f"{form_class.__module__.split('.')[0]}.{form_class.__name__}"
    if key in CHECKED_IN_SERVICE:
        module_name, _, name = CHECKED_IN_SERVICE[key].rpartition(".")
        check = getattr(import_module(module_name), name)
        with pytest.raises(ValueError):
            check(SimpleUploadedFile("plan.pdf", EXECUTABLE), settings.MAX_UPLOAD_SIZE)
        return
    for field in fields:
        accept = form_class.base_fields[field].widget.attrs.get("accept", ".csv")
        extension = accept.split(",")[0].strip() or ".csv"
        files = {field: SimpleUploadedFile(f"register{extension}", EXECUTABLE)}
        try:
            form = form_class(data={}, files=files)
        except TypeError:
            pytest.skip(f"{form_class.__name__} needs constructor arguments; check it by hand")
        form.is_valid()
        assert field in form.errors, f"{form_class.__name__}.{field} accepted an executable named *{extension}"
