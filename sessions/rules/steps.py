"""The ordered steps of Day 1, as the deck runs them (see WORKSHOP.md).

Each step carries what every screen shows about it: its phase, title, goal, instructions,
whether people work alone or together, and the deck's default time box. The phase issues add
what each step allows; the live room only needs the order, the words and the boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sessions.rules import scales
from sessions.rules.boards import BoardKind


class Phase(StrEnum):
    WELCOME = "welcome"
    LISTEN = "listen"
    DEFINE = "define"
    INVENT = "invent"
    REFINE = "refine"
    TEST = "test"
    NEXT = "next"
    BREAK = "break"


PHASE_LABELS: dict[Phase, Promise] = {
    Phase.WELCOME: _("Welcome"),
    Phase.LISTEN: _("Listen"),
    Phase.DEFINE: _("Define"),
    Phase.INVENT: _("Invent"),
    Phase.REFINE: _("Refine"),
    Phase.TEST: _("Test/Iterate"),
    Phase.NEXT: pgettext_lazy("phase", "Next step"),
    Phase.BREAK: _("Break"),
}

PHASE_SUBTITLES: dict[Phase, Promise] = {
    Phase.WELCOME: _("Join the workshop"),
    Phase.LISTEN: _("Know the customer"),
    Phase.DEFINE: _("Define the problems"),
    Phase.INVENT: _("Find solutions"),
    Phase.REFINE: _("Test necessity and reason"),
    Phase.TEST: _("Decide the metrics"),
    Phase.NEXT: _("Which process needs improving"),
    Phase.BREAK: _("Have a break!"),
}


class Mode(StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"
    BREAK = "break"


MODE_LABELS: dict[Mode, Promise] = {
    Mode.INDIVIDUAL: _("Individual work"),
    Mode.GROUP: _("Group work"),
    Mode.BREAK: _("Break"),
}


class Workspace(StrEnum):
    """What a step shows under its instructions."""

    NONE = ""
    PERSONA = "persona"
    CUSTOMER_BOARD = "customer"
    CUSTOMER_PROBLEMS = "customer_problems"
    BUSINESS_PROBLEMS = "business_problems"
    GROUPING = "grouping"  # both problem boards, grouped and scored
    IDEAS = "ideas"  # ideas prepared, shared on stage and marked ○ / △
    RESULTS = "results"  # the scores, first places, votes and the winner
    REFINE = "refine"  # roles write the summary, the FAQ and the demo steps
    PROPOSAL = "proposal"  # the merged proposal, read aloud, and its concerns
    PLAN = "plan"  # the measurement plan: ①②③ × Who / What / How
    QUESTIONNAIRE = "questionnaire"  # the next-step questionnaire and its summary


class Part(StrEnum):
    """The swappable parts of a room: each a partial of room/room.html with a stable id. A write
    names the parts it changed; the push renders exactly those."""

    AGENDA = "agenda"
    STEP = "step"
    TIMER = "timer"
    PARTICIPANTS = "participants"
    WORKSPACE = "workspace"  # what the step shows, composers included
    BOARD = "board"  # the workspace's contents only: what is being typed is never redrawn
    NOTE_COUNTS = "note-counts"  # how many notes each person wrote on a private board
    JOINING = "joining"  # whether newcomers may join, and the console's switch for it
    PROGRESS = "progress"  # how far the room is with private work (who has marked ideas)


# Invent: each presenter shares an example or idea for 4 minutes (the timer starts with the stage).
SHARE_MINUTES = 4
# Define: the points in the deck's order of importance ("3 points, the next 2, the next 1").
_RANKED = dict(zip(("first", "second", "third"), scales.POINTS, strict=True))


@dataclass(frozen=True)
class Step:
    key: str
    phase: Phase
    mode: Mode
    minutes: int
    title: Promise
    goal: Promise
    instructions: Promise
    workspace: Workspace = Workspace.NONE
    # Boards (BoardKind values) whose notes may be written, grouped, or are revealed here.
    writes: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    reveals: tuple[str, ...] = ()

    @property
    def phase_label(self) -> Promise:
        return PHASE_LABELS[self.phase]

    @property
    def phase_subtitle(self) -> Promise:
        return PHASE_SUBTITLES[self.phase]

    @property
    def mode_label(self) -> Promise:
        return MODE_LABELS[self.mode]

    @property
    def seconds(self) -> int:
        return self.minutes * 60


DAY1: tuple[Step, ...] = (
    Step(
        key="welcome",
        phase=Phase.WELCOME,
        mode=Mode.GROUP,
        minutes=5,
        title=_("Welcome: join from your laptop"),
        goal=_("Everyone is in the room and on the board."),
        instructions=_(
            "Open the join page, type the code on the screen (or scan the QR code) and give "
            "your name. Three habits for today: decide for now; when you don't know, assume "
            "(and mark it as an assumption); hold nothing back."
        ),
    ),
    Step(
        key="listen-persona",
        phase=Phase.LISTEN,
        mode=Mode.GROUP,
        minutes=3,
        title=_("Who is the customer?"),
        goal=_("Share the persona of the first customer of the AI/ML feature."),
        instructions=_(
            "The product manager shares the persona: name or role and a short description. "
            "The customer is the contracting party: for a children's learning product, the "
            "parent is the customer and the child the user."
        ),
        workspace=Workspace.PERSONA,
    ),
    Step(
        key="listen-individual",
        phase=Phase.LISTEN,
        mode=Mode.INDIVIDUAL,
        minutes=7,
        title=_("What do we know about the customer?"),
        goal=_(
            "Write down what you know about the customer, their organisation and its environment."
        ),
        instructions=_(
            "Write notes into the cells of the customer board: facts about the customer, their "
            "organisation and its environment, and how the organisation and the environment "
            "influence the customer. Your notes stay private until the group work."
        ),
        workspace=Workspace.CUSTOMER_BOARD,
        writes=(BoardKind.CUSTOMER,),
    ),
    Step(
        key="listen-group",
        phase=Phase.LISTEN,
        mode=Mode.GROUP,
        minutes=10,
        title=_("Share the customer board"),
        goal=_("One shared picture of the customer."),
        instructions=_(
            "Everyone's notes appear on the board. One person groups notes with the same "
            "content; then the team shares the board cell by cell, starting with the customer."
        ),
        workspace=Workspace.CUSTOMER_BOARD,
        writes=(BoardKind.CUSTOMER,),
        groups=(BoardKind.CUSTOMER,),
        reveals=(BoardKind.CUSTOMER,),
    ),
    Step(
        key="define-customer",
        phase=Phase.DEFINE,
        mode=Mode.INDIVIDUAL,
        minutes=5,
        title=_("Customer problems"),
        goal=_("List the customer's problems and rank the most important ones."),
        instructions=format_lazy(
            _(
                "Write each problem as: because of <influence>, when <situation>, <problem>. In "
                "the last minute, give your most important problem {first} points, the next "
                "{second} and the next {third}."
            ),
            **_RANKED,
        ),
        workspace=Workspace.CUSTOMER_PROBLEMS,
        writes=(BoardKind.CUSTOMER_PROBLEMS,),
    ),
    Step(
        key="define-business",
        phase=Phase.DEFINE,
        mode=Mode.INDIVIDUAL,
        minutes=5,
        title=_("Business problems"),
        goal=_("List the problems at each phase of bringing the product to customers."),
        instructions=format_lazy(
            _(
                "Write problems for awareness, contract, retention and expansion. In the last "
                "minute, give your most important problem {first} points, the next {second} and "
                "the next {third}."
            ),
            **_RANKED,
        ),
        workspace=Workspace.BUSINESS_PROBLEMS,
        writes=(BoardKind.BUSINESS_PROBLEMS,),
    ),
    Step(
        key="define-grouping",
        phase=Phase.DEFINE,
        mode=Mode.GROUP,
        minutes=20,
        title=_("Group and score the problems"),
        goal=_("The evaluation table: the yardstick every solution is measured against."),
        instructions=format_lazy(
            _(
                "Split the notes into customer and business problems. The owner of each side "
                "groups its notes into categories and sums their points; each group gets a "
                "score of {scale} by relative importance. Write the scores large: everyone "
                "evaluates with them next."
            ),
            scale=scales.alternatives(scales.SCALE),
        ),
        workspace=Workspace.GROUPING,
        writes=(BoardKind.CUSTOMER_PROBLEMS, BoardKind.BUSINESS_PROBLEMS),
        groups=(BoardKind.CUSTOMER_PROBLEMS, BoardKind.BUSINESS_PROBLEMS),
        reveals=(BoardKind.CUSTOMER_PROBLEMS, BoardKind.BUSINESS_PROBLEMS),
    ),
    Step(
        key="break-1",
        phase=Phase.BREAK,
        mode=Mode.BREAK,
        minutes=15,
        title=_("Have a break!"),
        goal=_("Around minute 80."),
        instructions=_("Stretch, drink something, and gather your examples for Invent."),
        workspace=Workspace.IDEAS,
    ),
    Step(
        key="invent-share",
        phase=Phase.INVENT,
        mode=Mode.INDIVIDUAL,
        minutes=25,
        title=_("Share and evaluate ideas"),
        goal=_("Measure each example or idea against the evaluation table."),
        instructions=format_lazy(
            _(
                "One person shares an example or idea in the six-slot form ({minutes} min). Then "
                "everyone marks each problem group ○ if the idea solves it directly, △ if partly "
                "(1 min). Repeat 4 to 5 times."
            ),
            minutes=SHARE_MINUTES,
        ),
        workspace=Workspace.IDEAS,
    ),
    Step(
        key="invent-results",
        phase=Phase.INVENT,
        mode=Mode.GROUP,
        minutes=15,
        title=_("Share the results"),
        goal=_("Pick the idea the team takes into Refine."),
        instructions=format_lazy(
            _(
                "With ○ = {solves} and △ = {partly}, each person's first place is the idea with "
                "their highest score. The idea chosen first by the most people wins; a tie goes "
                "to the higher total score."
            ),
            solves=scales.number(scales.SOLVES),
            partly=scales.number(scales.PARTLY),
        ),
        workspace=Workspace.RESULTS,
    ),
    Step(
        key="refine-roles",
        phase=Phase.REFINE,
        mode=Mode.INDIVIDUAL,
        minutes=15,
        title=_("Role work: summary, FAQ and demo"),
        goal=_('Answer "what\'s in it for me?" in three minutes.'),
        instructions=_(
            "The planner writes the summary from the template, sales writes the customers' "
            "questions with ideal answers, the developer writes the demo steps. Mark in red "
            "where the ideal and the present differ, or where a change is risky."
        ),
        workspace=Workspace.REFINE,
    ),
    Step(
        key="refine-merge",
        phase=Phase.REFINE,
        mode=Mode.GROUP,
        minutes=25,
        title=_("Merge and read aloud"),
        goal=_("One proposal, read as if to stakeholders."),
        instructions=_(
            "Merge the three parts into one document: summary, FAQ, demo scenario. The planner "
            "reads the summary, sales the FAQ, the developer the demo. Then share the red "
            "concerns (don't solve them here)."
        ),
        workspace=Workspace.PROPOSAL,
    ),
    Step(
        key="break-2",
        phase=Phase.BREAK,
        mode=Mode.BREAK,
        minutes=15,
        title=_("Have a break!"),
        goal=_("Around minute 170."),
        instructions=_("Stretch, drink something; the last phase decides how to measure success."),
    ),
    Step(
        key="test-plan",
        phase=Phase.TEST,
        mode=Mode.GROUP,
        minutes=30,
        title=_("Decide how to measure the goal"),
        goal=_("Know the gap between the goal and what actually happens."),
        instructions=_(
            "Fill in the measurement plan: for ① the customer problem, ② the business problem "
            "and ③ the model problem, who evaluates, what they evaluate, and how, with the "
            "threshold that counts as a pass."
        ),
        workspace=Workspace.PLAN,
    ),
    Step(
        key="next-questionnaire",
        phase=Phase.NEXT,
        mode=Mode.INDIVIDUAL,
        minutes=10,
        title=_("Next step: which process needs improving?"),
        goal=_("Choose what Day 2 improves."),
        instructions=format_lazy(
            _(
                "Go straight to implementation? Answer, then rate each phase from {low} to "
                "{high} ({high} = needs improving most) with an optional comment."
            ),
            low=scales.RATINGS[0],
            high=scales.RATINGS[-1],
        ),
        workspace=Workspace.QUESTIONNAIRE,
    ),
)

_BY_KEY = {step.key: step for step in DAY1}
FIRST = DAY1[0]


def step_for(key: str) -> Step:
    """The step with this key; an unknown key (a step renamed since) falls back to the first."""
    return _BY_KEY.get(key, FIRST)


def index_of(key: str) -> int:
    return DAY1.index(step_for(key))
