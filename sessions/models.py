"""The workshop's state. The database is the truth; live pushes are hints (DESIGN.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sessions.codes import format_join_code
from sessions.rules import scales, steps
from sessions.rules.boards import BOARD_KIND_CHOICES
from sessions.rules.refine import ENTRY_KIND_CHOICES
from sessions.rules.scoring import MARK_CHOICES


class Language(models.TextChoices):
    JAPANESE = "ja", _("Japanese")
    ENGLISH = "en", _("English")


class TimerState(models.TextChoices):
    IDLE = "idle", _("Not started")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")


class Workshop(models.Model):
    title = models.CharField(_("workshop title"), max_length=120)
    team_name = models.CharField(_("team or product"), max_length=120)
    # The hash of the create form's key (codes.new_creation_key): the same form posted again
    # finds this workshop instead of making a second one.
    creation_key_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.JAPANESE
    )
    join_code = models.CharField(max_length=16, unique=True)
    facilitator_token_hash = models.CharField(max_length=64, unique=True)
    step_key = models.CharField(max_length=40, default=steps.FIRST.key)
    # The workshop's event sequence number: bumped by every write, carried by every push.
    seq = models.PositiveBigIntegerField(default=0)
    # The timer is a deadline, not a tick: while running, when it ends; otherwise what is left.
    timer_state = models.CharField(
        max_length=8, choices=TimerState.choices, default=TimerState.IDLE
    )
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    timer_remaining_ms = models.PositiveIntegerField(default=steps.FIRST.seconds * 1000)
    # Closed by the facilitator once everyone is in: the code on the projector then lets nobody
    # new take a seat (a stranger who saw it, a script), while whoever has one comes back.
    joining_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def step(self) -> steps.Step:
        return steps.step_for(self.step_key)

    @property
    def step_index(self) -> int:
        return steps.index_of(self.step_key)

    @property
    def display_code(self) -> str:
        return format_join_code(self.join_code)

    def timer_remaining_at(self, now: datetime) -> timedelta:
        if self.timer_state == TimerState.RUNNING and self.timer_ends_at is not None:
            return max(self.timer_ends_at - now, timedelta(0))
        return timedelta(milliseconds=self.timer_remaining_ms)


class Participant(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    display_name = models.CharField(_("display name"), max_length=40)
    # The n-th person to join: tells apart two people who chose the same name.
    seat = models.PositiveIntegerField()
    # Made by the join form: a retried or double-clicked join makes one participant, not two.
    join_key = models.UUIDField(null=True, blank=True)
    # The part this person writes in Refine, assigned by the facilitator (RefineRole values).
    refine_role = models.CharField(max_length=10, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seat"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "seat"], name="participant_seat_unique"),
            models.UniqueConstraint(
                fields=["workshop", "join_key"], name="participant_join_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def initial(self) -> str:
        return self.display_name[:1].upper()


class Presence(models.Model):
    """One open WebSocket of a participant; online while one has sent a recent heartbeat."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="presences")
    channel_name = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.channel_name}"

    @staticmethod
    def fresh_since(now: datetime | None = None) -> datetime:
        """Sockets seen since then count: settings.PRESENCE_TIMEOUT_SECONDS before ``now``."""
        return (now or timezone.now()) - timedelta(seconds=settings.PRESENCE_TIMEOUT_SECONDS)


class Event(models.Model):
    """What happened, in order: one row per write, numbered per workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=40)
    actor = models.CharField(max_length=60)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "seq"], name="event_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id}#{self.seq} {self.kind}"


class Board(models.Model):
    """One board of notes in a workshop: who may group it, and whether its notes are revealed."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="boards")
    kind = models.CharField(max_length=20, choices=BOARD_KIND_CHOICES)
    # Until revealed, a note's text reaches only its author (individual work).
    revealed = models.BooleanField(default=False)
    # The participant the facilitator put in charge of grouping (and, for problems, scoring).
    owner = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "kind"], name="board_kind_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id}:{self.kind}"


class Persona(models.Model):
    """The first customer, as the product manager shares it (Listen)."""

    workshop = models.OneToOneField(Workshop, on_delete=models.CASCADE, related_name="persona")
    name = models.CharField(_("name or role"), max_length=80, blank=True)
    description = models.TextField(_("short description"), max_length=600, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class NoteGroup(models.Model):
    """Notes with the same content, gathered; on the problem boards, a scored category."""

    id = models.UUIDField(primary_key=True)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="groups")
    cell = models.CharField(max_length=30, blank=True)
    name = models.CharField(_("group name"), max_length=80, blank=True)
    # On the problem boards, one of scales.SCALE: the yardstick of the evaluation table.
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__in=list(scales.SCALE)) | models.Q(score__isnull=True),
                name="group_score_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)


class Note(models.Model):
    """A sticky note. Its id is made by the browser, so a retried post never duplicates it."""

    id = models.UUIDField(primary_key=True)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notes")
    # Customer board: its cell; business problems: the phase (認知獲得 …); otherwise empty.
    cell = models.CharField(max_length=30, blank=True)
    text = models.CharField(_("note"), max_length=200)
    # Customer problems read "because of <influence>, when <situation>, <text>".
    influence = models.CharField(_("influence"), max_length=120, blank=True)
    situation = models.CharField(_("situation"), max_length=120, blank=True)
    is_assumption = models.BooleanField(_("assumption"), default=False)
    # Define: the author's points (scales.POINTS) for their most important notes of a side.
    points = models.PositiveSmallIntegerField(null=True, blank=True)
    group = models.ForeignKey(
        NoteGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(points__in=sorted(scales.POINTS))
                | models.Q(points__isnull=True),
                name="note_points_valid",
            ),
            # Each value once per participant and side (WORKSHOP.md, Define).
            models.UniqueConstraint(
                fields=["board", "author", "points"],
                condition=models.Q(points__isnull=False),
                name="note_points_once_per_side",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Idea(models.Model):
    """An example or idea in the deck's six slots (Invent); private to its author until shared.
    Its fields are the slots of rules/invent.py."""

    id = models.UUIDField(primary_key=True)
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ideas")
    customer = models.CharField(_("customer"), max_length=80)
    situation = models.CharField(_("situation"), max_length=120)
    capability = models.CharField(_("capability"), max_length=120)
    customer_metric = models.CharField(_("customer metric"), max_length=120)
    business_metric = models.CharField(_("business metric"), max_length=120)
    data = models.CharField(_("data"), max_length=120)
    shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shared_at", "created_at"]

    def __str__(self) -> str:
        return self.capability


class Mark(models.Model):
    """One participant's ○ or △ for one idea against one problem group (no row: blank)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="marks")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="marks")
    group = models.ForeignKey(NoteGroup, on_delete=models.CASCADE, related_name="marks")
    value = models.CharField(max_length=8, choices=MARK_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "participant", "group"], name="mark_once_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}/{self.participant_id}/{self.group_id}={self.value}"


class Invent(models.Model):
    """The Invent phase of a workshop: the idea on stage, and the result once revealed."""

    workshop = models.OneToOneField(Workshop, on_delete=models.CASCADE, related_name="invent")
    staged = models.ForeignKey(Idea, on_delete=models.SET_NULL, null=True, related_name="+")
    revealed = models.BooleanField(default=False)
    winner = models.ForeignKey(Idea, on_delete=models.SET_NULL, null=True, related_name="+")
    # One of scoring.DECISIONS: a rule (votes, total, dice) or the facilitator's override.
    decided_by = models.CharField(max_length=10, blank=True)
    tied = models.JSONField(default=list)  # the ideas tied at the deciding level
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # When the facilitator overrode the rules: what the rules had decided, and by which rule
    # (the dice's pick among ``tied`` stays on record).
    ruled_winner = models.ForeignKey(Idea, on_delete=models.SET_NULL, null=True, related_name="+")
    ruled_by = models.CharField(max_length=10, blank=True)

    def __str__(self) -> str:
        return f"invent of {self.workshop_id}"


class Pick(models.Model):
    """A participant's choice among ideas that share their top score (Invent)."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="pick")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="picks")

    def __str__(self) -> str:
        return f"{self.participant_id} picks {self.idea_id}"


class Versioned(models.Model):
    """A row people edit together. Every save names the version it was made on; a save made on
    an older one is refused (services/versions.py), never silently lost."""

    # Bumped by every save.
    version = models.PositiveIntegerField(default=0)
    updated_by = models.CharField(max_length=60, blank=True)  # the actor's label (Event.actor)
    text: str  # what a refused save shows; each table has its own field, of its own length

    class Meta:
        abstract = True


class PlanCell(Versioned):
    """One cell of the Test/Iterate measurement plan: a column (①②③) × a row (Who/What/How)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="plan_cells")
    column = models.CharField(max_length=10)
    row = models.CharField(max_length=10)
    text = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "column", "row"], name="plan_cell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.column}/{self.row}"


class QuestionnaireAnswer(models.Model):
    """One participant's answers to the next-step questionnaire (WORKSHOP.md, Next step)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="questionnaire"
    )
    # A comment is kept inside ``ratings``, which has no length of its own: this is its limit.
    COMMENT_MAX_LENGTH = 300

    go_straight = models.BooleanField(null=True)  # "go straight to implementation?"
    # {phase: {"rating": 1..5, "comment": "…"}} for the phases of rules/questionnaire.PHASES.
    ratings = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"answers of {self.participant_id}"


class Proposal(models.Model):
    """The Refine proposal of a workshop; which section is being read aloud, if any."""

    workshop = models.OneToOneField(Workshop, on_delete=models.CASCADE, related_name="proposal")
    # "" while nobody reads; otherwise a section key (refine.SECTIONS).
    reading = models.CharField(max_length=10, blank=True)

    def __str__(self) -> str:
        return f"proposal of {self.workshop_id}"


class SummarySlot(Versioned):
    """One of the six slots of the planner's summary; unsaved slots show the winning idea's."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="summary_slots")
    slot = models.CharField(max_length=20)
    text = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "slot"], name="summary_slot_unique"),
        ]

    def __str__(self) -> str:
        return self.slot


class ProposalEntry(Versioned):
    """A FAQ entry (sales) or a demo step (developer) of the Refine proposal, in its list's
    order. Red marks a concern: the ideal and the present differ, or the change is risky."""

    id = models.UUIDField(primary_key=True)  # made by the browser: a retried post adds one entry
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=4, choices=ENTRY_KIND_CHOICES)
    text = models.CharField(_("text"), max_length=300)  # the question, or the step
    answer = models.TextField(_("answer"), max_length=1000, blank=True)  # FAQ only
    red = models.BooleanField(default=False)
    position = models.PositiveIntegerField()
    # Made by its first save (cells and slots exist unsaved, at version 0, until theirs).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "created_at"]
        indexes = [models.Index(fields=["workshop", "kind", "position"])]

    def __str__(self) -> str:
        return self.text
