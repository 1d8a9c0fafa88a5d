"""The quiz's messages, filled with the active partnership's local values like every answer."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List

from bot import settings
from bot.content import partnership as partnerships
from bot.content import topics
from bot.content.render import Renderer
from bot.content.scenarios import DANGER_THEME, Scenario
from bot.quiz import engine

ANSWER_INTENT = "quiz_answer"
CHOICE_ENTITY = "quiz_choice"
QUESTION_ENTITY = "quiz_question"
SCENARIO_ENTITY = "quiz_scenario"  # so a leftover button from another run cannot answer a different scenario
STOP_BUTTON = {"title": "Stop the quiz", "payload": "/stop"}
AGAIN_BUTTON = {"title": "Another quiz", "payload": "/start_quiz"}
HELP_BUTTON = {"title": "What else can you help with?", "payload": "/help"}
CONTINUE_HINT = ('Press an answer or type its letter. You can ask me any other question mid-quiz; say "continue quiz" '
                 'to see this question again, or "stop".')


@dataclass
class Message:
    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)

    def as_kwargs(self) -> Dict[str, Any]:
        return {"text": self.text, "buttons": self.buttons} if self.buttons else {"text": self.text}


def answer_payload(letter: str, number: int, scenario_id: str) -> str:
    entities = {CHOICE_ENTITY: letter, QUESTION_ENTITY: str(number), SCENARIO_ENTITY: scenario_id}
    return f"/{ANSWER_INTENT}{json.dumps(entities, separators=(',', ':'))}"


def button_title(letter: str, text: str) -> str:
    return f"{letter.upper()}. {text}"


class QuizRenderer:
    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer

    @property
    def partnership(self) -> partnerships.Partnership:
        return self.renderer.partnership

    def source_line(self, scenario: Scenario) -> str:
        names: List[str] = []
        reviewed = scenario.reviewed
        for source in scenario.sources:
            if source.startswith("local:"):
                document = self.partnership.documents[source.removeprefix("local:")]
                names.append(document.name or f"{self.partnership.name} local content")
            else:
                names.append(self.renderer.catalogue.sources[source])
        return f"Source: {'; '.join(dict.fromkeys(names))}. Last reviewed {reviewed:%d %B %Y}."

    def choice_titles(self, scenario: Scenario) -> List[str]:
        return [button_title(letter, self.renderer.fill(choice.text))
                for letter, choice in zip(scenario.letters(), scenario.choices, strict=True)]

    def question(self, scenario: Scenario, number: int, total: int) -> Message:
        titles = self.choice_titles(scenario)
        text = "\n".join(
            [
                f"**Question {number} of {total}: {self.renderer.fill(scenario.title)}**",
                self.renderer.fill(scenario.situation).strip(),
                "",
                f"**{self.renderer.fill(scenario.question).strip()}**",
                *[f"- {title}" for title in titles],
                "",
                CONTINUE_HINT,
            ]
        )
        buttons = [{"title": title, "payload": answer_payload(letter, number, scenario.id)}
                   for letter, title in zip(scenario.letters(), titles, strict=True)]
        return Message(text, buttons + [STOP_BUTTON])

    def feedback(self, marked: engine.Marked) -> Message:
        scenario = marked.scenario
        chosen = scenario.choice(marked.letter)
        right = scenario.choice(scenario.correct_letter)
        assert chosen is not None and right is not None
        fill = self.renderer.fill
        if marked.correct:
            lines = [f"✅ Correct: {button_title(marked.letter, fill(chosen.text))}."]
            if chosen.feedback:
                lines.append(fill(chosen.feedback).strip())
        else:
            # in an emergency scenario the first words of a wrong answer's feedback are what to do
            lead = "📞 Call 999 now: that comes before anything else." if scenario.theme == DANGER_THEME \
                else "❌ Not quite."
            lines = [f"{lead} You chose {button_title(marked.letter, fill(chosen.text))}."]
            if chosen.feedback:
                lines.append(fill(chosen.feedback).strip())
            lines.append(f"The answer is **{button_title(scenario.correct_letter, fill(right.text))}**.")
        # one message: a blank line would split it into several on the REST, socket.io and Teams channels
        lines += [f"Why: {fill(scenario.explanation).strip()}", self.source_line(scenario)]
        return Message("\n".join(lines))

    def score(self, state: engine.QuizState, scenarios: Dict[str, Scenario], stopped: bool,
              class_code: str | None = None) -> Message:
        """The score. `class_code` is the class joined now; what is said about class results comes from
        the answers actually stored (state.stored), never from having joined."""
        total = len(state.run)
        if stopped and state.answered == 0:
            lines = ["Quiz stopped before any answers. No score this time."]
        else:
            result = f"{state.correct} out of {state.answered} ({engine.percent(state.correct, state.answered)}%)"
            if stopped:
                lines = [f"Quiz stopped. Your score so far: {result}, with {total - state.answered} "
                         f"question{'s' if total - state.answered != 1 else ''} not answered."]
            else:
                lines = [f"Quiz finished. Your score: {result}."]
            missed = [self.renderer.fill(scenarios[key].title) for key in state.wrong if key in scenarios]
            if missed:
                lines += ["Worth going over again:", *[f"- {title}" for title in missed]]
        lines += self._class_lines(state, class_code)
        lines.append('Say "quiz me" for another run, or ask me anything. If a child is in immediate danger, call 999.')
        return Message("\n".join(lines), [AGAIN_BUTTON, HELP_BUTTON])


    @staticmethod
    def _class_lines(state: engine.QuizState, class_code: str | None) -> List[str]:
        if state.stored and state.stored_class:
            if state.stored >= state.answered:
                return [f"Your answers count towards class {state.stored_class}'s results, anonymously."]
            return [f"{state.stored} of your {state.answered} answers count towards class {state.stored_class}'s "
                    "results, anonymously. The others were not added: a class keeps only your first answer to "
                    "each scenario, while the class is open."]
        if class_code and state.answered:
            return [f"These answers were not added to class {class_code}'s results, so they are for your own "
                    "practice only."]
        return []


@functools.lru_cache(maxsize=8)
def quiz_renderer(partnership_id: str | None = None) -> QuizRenderer:
    pack = partnerships.load(partnership_id or settings.partnership_id())
    return QuizRenderer(Renderer(pack, topics.load()))
