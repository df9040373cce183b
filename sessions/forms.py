"""Every input, parsed and checked before a service sees it."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.core import validators
from django.utils.translation import gettext_lazy as _

from sessions.codes import CREATION_KEY_LENGTH, JOIN_CODE_LENGTH, normalise_join_code
from sessions.models import Language, QuestionnaireAnswer
from sessions.rules import scales, steps
from sessions.rules.boards import BoardKind
from sessions.rules.questionnaire import PHASES
from sessions.rules.refine import ENTRY_KIND_CHOICES, ROLE_LABELS
from sessions.rules.scoring import Mark
from sessions.rules.text import DIRECTION_CONTROLS, LINE_CHARACTERS, is_surrogate, refused
from sessions.services.questionnaire import COMMENT_TOO_LONG, RATING_REFUSED
from sessions.services.room import TimerAction

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class TextCharacters:
    """The shared validator of every text field: refuses the first character that has no
    place in it (rules/text.py), naming it: it is invisible, so "U+202E" is what a person can
    look for (or simply retype the text)."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: str) -> None:
        for character in value:
            if refused(character, multiline=self.multiline):
                raise forms.ValidationError(
                    _message(character), code="control_character", params=_name(character)
                )


def _name(character: str) -> dict[str, str]:
    return {"code": f"U+{ord(character):04X}"}


def _message(character: str) -> StrPromise:
    if character in DIRECTION_CONTROLS:
        return _(
            "Remove the invisible direction control (%(code)s): it would turn the text shown "
            "after it around."
        )
    if is_surrogate(character):
        return _("Remove the broken character (%(code)s): it is not text and cannot be saved.")
    if character in LINE_CHARACTERS:
        return _("Write this on one line: a line break or a tab (%(code)s) has no place here.")
    return _("Remove the invisible control character (%(code)s): it has no place in a text.")


class TextField(forms.CharField):
    """Every text a person types (a note, a name, a title, a value a page posts back): a
    CharField that refuses control characters with TextCharacters. ``multiline`` for a textarea,
    whose line breaks and tabs are text."""

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # TextCharacters refuses NUL itself, saying where: Django's own check would say it again.
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, validators.ProhibitNullCharactersValidator)
        ]
        self.validators.append(TextCharacters(multiline=multiline))


class WorkshopCreateForm(forms.Form):
    title = TextField(
        label=_("Workshop title"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. AI feature planning, first session")}),
    )
    team_name = TextField(
        label=_("Team or product"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Learning app team")}),
    )
    language = forms.ChoiceField(
        label=_("Language of the workshop"),
        choices=Language.choices,
        initial=Language.JAPANESE,
    )
    # Made with the page (codes.new_creation_key): posting the same form twice creates once.
    creation_key = TextField(
        widget=forms.HiddenInput,
        required=False,
        min_length=CREATION_KEY_LENGTH,
        max_length=CREATION_KEY_LENGTH,
    )


class ImportForm(forms.Form):
    """A workshop file to import, with the same kind of creation key as WorkshopCreateForm."""

    file = forms.FileField(error_messages={"required": _("Choose a workshop file.")})
    creation_key = WorkshopCreateForm.base_fields["creation_key"]


class JoinForm(forms.Form):
    code = TextField(
        label=_("Join code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "ABCD-EFGH",
                "class": "code-input",
            }
        ),
    )
    display_name = TextField(
        label=_("Your name"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        help_text=_("Shown to the team. No account needed."),
    )
    # Made when the form is shown: submitting it twice joins once.
    join_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
    # The token of the QR code's link (codes.join_link_token), when the form came from it.
    link = TextField(widget=forms.HiddenInput, required=False, max_length=100)

    def clean_code(self) -> str:
        code = normalise_join_code(self.cleaned_data["code"])
        if len(code) != JOIN_CODE_LENGTH:
            raise forms.ValidationError(
                _("A join code has %(length)d letters and digits, like ABCD-EFGH."),
                params={"length": JOIN_CODE_LENGTH},
                code="length",
            )
        return code


class JoinLinkForm(forms.Form):
    """The query of the QR code's link, /join/<code>/?k=<token>."""

    k = TextField(required=False, max_length=100)


class StepForm(forms.Form):
    action = forms.ChoiceField(choices=[("next", "next"), ("prev", "prev"), ("goto", "goto")])
    step = forms.ChoiceField(choices=[(step.key, step.key) for step in steps.DAY1], required=False)
    # The step the clicking screen showed: a click made on an outdated screen changes nothing.
    seen = forms.ChoiceField(choices=[(step.key, step.key) for step in steps.DAY1], required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("action") == "goto" and not data.get("step"):
            raise forms.ValidationError(_("Choose a step."), code="step")
        return data


class TimerForm(forms.Form):
    action = forms.ChoiceField(choices=[(action.value, action.value) for action in TimerAction])


class JoiningForm(forms.Form):
    joining = forms.ChoiceField(choices=[("open", "open"), ("closed", "closed")])

    @property
    def open(self) -> bool:
        return bool(self.cleaned_data["joining"] == "open")


BOARD_KINDS = [(kind.value, kind.value) for kind in BoardKind]


class NoteForm(forms.Form):
    id = forms.UUIDField()
    kind = forms.ChoiceField(choices=BOARD_KINDS)
    cell = TextField(max_length=30, required=False)
    text = TextField(label=_("Note"), max_length=200, multiline=True)
    influence = TextField(label=_("Influence"), max_length=120, required=False)
    situation = TextField(label=_("Situation"), max_length=120, required=False)
    is_assumption = forms.BooleanField(required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("kind") == BoardKind.CUSTOMER_PROBLEMS and not (
            data.get("influence") and data.get("situation")
        ):
            raise forms.ValidationError(
                _("Say because of what, and when: a customer problem has three parts."),
                code="parts",
            )
        return data


class NoteEditForm(forms.Form):
    """A note's text or kind; a customer problem's influence and situation too (a part left
    out, or left empty, stays as it was: each of the three is needed)."""

    text = TextField(label=_("Note"), max_length=200, required=False, multiline=True)
    influence = TextField(label=_("Influence"), max_length=120, required=False)
    situation = TextField(label=_("Situation"), max_length=120, required=False)
    is_assumption = forms.NullBooleanField(required=False)


class PointsForm(forms.Form):
    points = forms.TypedChoiceField(
        choices=[("", "-")] + [(str(p), str(p)) for p in scales.POINTS],
        coerce=int,
        empty_value=None,
        required=False,
    )


class MoveForm(forms.Form):
    """Where a note goes: a group's id, "new", "out", or onto another note (drag and drop)."""

    target = TextField(max_length=40, required=False)
    onto = forms.UUIDField(required=False)


class GroupNameForm(forms.Form):
    name = TextField(label=_("Group name"), max_length=80, required=False)


class ScoreForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=[("", "-")] + [(str(s), str(s)) for s in scales.SCALE],
        coerce=int,
        empty_value=None,
        required=False,
    )


class BoardKindForm(forms.Form):
    kind = forms.ChoiceField(choices=BOARD_KINDS)


class OwnerForm(BoardKindForm):
    participant = forms.IntegerField(required=False)


class PersonaForm(forms.Form):
    name = TextField(label=_("Name or role"), max_length=80, required=False)
    description = TextField(
        label=_("Short description"), max_length=600, required=False, multiline=True
    )


class IdeaForm(forms.Form):
    id = forms.UUIDField()
    customer = TextField(label=_("Customer (whose)"), max_length=80)
    situation = TextField(label=_("Situation"), max_length=120)
    capability = TextField(label=_("What the feature lets them do"), max_length=120)
    customer_metric = TextField(label=_("Customer metric that improves"), max_length=120)
    business_metric = TextField(label=_("Business metric that improves"), max_length=120)
    # Not "data": a form's own ``data`` is what was posted.
    data_source = TextField(label=_("Data the model learns from"), max_length=120)


class MarkForm(forms.Form):
    idea = forms.UUIDField()
    group = forms.UUIDField()
    value = forms.ChoiceField(choices=[(mark.value, mark.symbol or "-") for mark in Mark])


class OverrideForm(forms.Form):
    idea = forms.UUIDField()
    reason = TextField(label=_("Reason"), max_length=300)


class PlanCellForm(forms.Form):
    column = TextField(max_length=10)
    row = TextField(max_length=10)
    text = TextField(label=_("Cell text"), max_length=300, required=False, multiline=True)
    version = forms.IntegerField(min_value=0)


class RoleForm(forms.Form):
    participant = forms.IntegerField()
    # "" takes the role away.
    role = forms.ChoiceField(
        choices=[("", "—"), *((role.value, label) for role, label in ROLE_LABELS.items())],
        required=False,
    )


class SlotForm(forms.Form):
    text = TextField(max_length=120, required=False)
    version = forms.IntegerField(min_value=0)


class EntryForm(forms.Form):
    id = forms.UUIDField()
    kind = forms.ChoiceField(choices=ENTRY_KIND_CHOICES)
    text = TextField(label=_("Text"), max_length=300)
    answer = TextField(label=_("Answer"), max_length=1000, required=False, multiline=True)
    red = forms.BooleanField(required=False)


class EntryEditForm(forms.Form):
    text = TextField(label=_("Text"), max_length=300)
    answer = TextField(label=_("Answer"), max_length=1000, required=False, multiline=True)
    version = forms.IntegerField(min_value=0)


class FlagForm(forms.Form):
    red = forms.BooleanField(required=False)


class EntryMoveForm(forms.Form):
    """A drag names the entry now before it ("" for the top); the keyboard moves by one."""

    after = forms.UUIDField(required=False)
    delta = forms.TypedChoiceField(
        choices=[("-1", "-1"), ("1", "1")],
        coerce=int,
        empty_value=0,  # type: ignore[arg-type]  # a drag: no delta
        required=False,
    )


class ReadingForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("start", "start"), ("next", "next"), ("prev", "prev"), ("stop", "stop")]
    )
    # The section the button was drawn for: a second click on a stale button does nothing.
    seen = TextField(max_length=10, required=False)


class QuestionnaireForm(forms.Form):
    """The next-step questionnaire (WORKSHOP.md, Next step): go straight to implementation?,
    then for each phase of rules/questionnaire.PHASES a rating from rules/scales.RATINGS and an
    optional comment. Every answer may be left out; a wrong one refuses the whole form."""

    go_straight = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda answer: answer == "yes",
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Answer yes or no.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for phase in PHASES:
            # Fields made per form, so in the language of the request: plain text will do.
            label = str(steps.PHASE_LABELS[steps.Phase(phase)])
            self.fields[f"{phase}_rating"] = forms.TypedChoiceField(
                label=label,
                choices=[(str(rating), str(rating)) for rating in scales.RATINGS],
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": RATING_REFUSED},
            )
            self.fields[f"{phase}_comment"] = TextField(
                label=label,
                max_length=QuestionnaireAnswer.COMMENT_MAX_LENGTH,
                required=False,
                error_messages={"max_length": COMMENT_TOO_LONG},
            )

    def ratings(self) -> dict[str, tuple[int | None, str]]:
        """Per phase, the rating (None when not given) and the comment, once the form is valid."""
        data = self.cleaned_data
        return {phase: (data[f"{phase}_rating"], data[f"{phase}_comment"]) for phase in PHASES}

    def errors_by_phase(self) -> list[str]:
        """Each refusal, led by the phase it is about (the yes/no speaks for itself)."""
        return [
            f"{self.fields[name].label}: {message}" if self.fields[name].label else str(message)
            for name, messages in self.errors.items()
            for message in messages
        ]
