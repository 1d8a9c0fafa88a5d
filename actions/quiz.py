"""Training mode: scenario quiz actions. Thin: the quiz itself is bot/quiz/."""
from __future__ import annotations

import asyncio
import dataclasses
import re
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.quiz import engine, service
from bot.quiz.choices import typed_choice
from bot.quiz.codes import find_code, normalise
from bot.quiz.render import (
    AGAIN_BUTTON,
    ANSWER_INTENT,
    CHOICE_ENTITY,
    QUESTION_ENTITY,
    SCENARIO_ENTITY,
    QuizRenderer,
    quiz_renderer,
)

ACTIVE_SLOT, STATE_SLOT, CLASS_SLOT = "quiz_active", "quiz_state", "quiz_class"
UNSURE_INTENT = "unsure"  # "not sure" mid-quiz: the question again, with encouragement to guess
NO_QUIZ = 'There is no quiz running just now. Say "quiz me" to start one.'
# After a quiz ended (finished or stopped): its answer buttons never count.
QUIZ_ENDED = 'That quiz has ended. Would you like to start again? Say "quiz me" or press the button.'
QUIZ_ENDED_ANSWER = ("That quiz has ended, so this answer doesn't count. Would you like to start again? "
                     'Say "quiz me" or press the button.')
# A typed "b" or "the second one" with no quiz running is not an answer to anything.
TYPED_WITHOUT_QUIZ = ('There is no quiz running just now, so I haven\'t taken that as a quiz answer. Say "quiz me" '
                      "to start one, or ask me your question in words.")
CHOOSE_AGAIN = "Please choose one of the answer buttons, or type its letter."
UNSURE_INTRO = "No problem: take your best guess. The feedback explains the answer either way."
DANGER = "If a child is in immediate danger, call 999."
# Where a real question lands if it was misread as joining a class: point the way.
# A message about a missing child that happens to hold a code-like reference ("ref AB12CD - child missing")
# may be misread as joining a class: it gets the answer on who to notify instead.
MISSING_TEXT = re.compile(r"\bmissing\b|\brun(ning)? away\b|\bran away\b|\babscond|\bawol\b|\bwhereabouts\b|"
                          r"(\bnot|n't|\bnever) (come|came|been|gone|got) (home|back)\b|\bnot returned\b",
                          re.IGNORECASE)
JOINING_TEXT = re.compile(r"\b(join\w*|enrol\w*|trainer\w*|training|session|quiz\w*)\b", re.IGNORECASE)
HELP_BUTTONS = [{"title": "Who to notify when a child goes missing", "payload": "/child_missing"},
                {"title": "What else can you help with?", "payload": "/help"}]


def _state(tracker: Tracker) -> engine.QuizState:
    return engine.QuizState.from_slot(tracker.get_slot(STATE_SLOT))


def _running(tracker: Tracker) -> engine.QuizState | None:
    state = _state(tracker)
    return state if tracker.get_slot(ACTIVE_SLOT) and not state.finished else None


def _ask(dispatcher: CollectingDispatcher, renderer: QuizRenderer, state: engine.QuizState,
         intro: str | None = None) -> None:
    scenario = service.scenarios_by_id()[state.current or ""]
    message = renderer.question(scenario, state.position + 1, len(state.run))
    text = f"{intro}\n\n{message.text}" if intro else message.text
    dispatcher.utter_message(text=text, buttons=message.buttons)


def _skip_removed(state: engine.QuizState) -> engine.QuizState:
    """Moves past scenarios removed from the content since the run started."""
    known = service.scenarios_by_id()
    while not state.finished and state.current not in known:
        state = dataclasses.replace(state, position=state.position + 1)
    return state


def _no_quiz(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    """No quiz is running: say so, offer one, and put the active flag right if it was left on.

    A button from a quiz that has ended says that quiz ended; a typed letter says it was not taken as an answer.
    """
    answering = tracker.latest_message.get("intent", {}).get("name") == ANSWER_INTENT
    if answering and _typed(tracker):
        text, title = TYPED_WITHOUT_QUIZ, "Start the quiz"
    elif _state(tracker).run:
        text, title = QUIZ_ENDED_ANSWER if answering else QUIZ_ENDED, "Start the quiz again"
    else:
        text, title = NO_QUIZ, "Start the quiz"
    dispatcher.utter_message(text=text, buttons=[AGAIN_BUTTON | {"title": title}])
    return [SlotSet(ACTIVE_SLOT, False)] if tracker.get_slot(ACTIVE_SLOT) else []


def _typed(tracker: Tracker) -> bool:
    """The answer was typed ("b", "the second one"), not pressed: no answer button's choice came with it."""
    return next(tracker.get_latest_entity_values(CHOICE_ENTITY), None) is None


class ActionQuizStart(Action):
    def name(self) -> str:
        return "action_quiz_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        code = tracker.get_slot(CLASS_SLOT)
        events: List[Dict[str, Any]] = []
        intro = None
        if code:
            # the class first: only an open class orders the run and is named as counting
            lookup = await asyncio.to_thread(service.find_class, code)
            if lookup.unreachable:
                intro = (f"I can't reach the class list just now, so these answers may not be added to class "
                         f"{lookup.code}'s results. The quiz works as usual.")
            elif lookup.found is None or not lookup.found.is_open:
                why = "has closed" if lookup.found is not None else "can't be found"
                intro = f"Class {lookup.code or code} {why}, so these answers are for your own practice only."
                code = None
                events.append(SlotSet(CLASS_SLOT, None))
            else:
                code = lookup.found.code
                intro = f"Class {code}: your answers are added to the class's results anonymously."
        state = engine.start(_state(tracker), service.scenarios(), tracker.sender_id, code)
        _ask(dispatcher, quiz_renderer(), state, intro)
        return events + [SlotSet(STATE_SLOT, state.to_slot()), SlotSet(ACTIVE_SLOT, True)]


class ActionQuizAnswer(Action):
    def name(self) -> str:
        return "action_quiz_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        state = _running(tracker)
        if state is None:
            return _no_quiz(dispatcher, tracker)
        renderer = quiz_renderer()
        state = _skip_removed(state)
        letter = next(tracker.get_latest_entity_values(CHOICE_ENTITY), None)
        number = next(tracker.get_latest_entity_values(QUESTION_ENTITY), None)
        pressed_for = next(tracker.get_latest_entity_values(SCENARIO_ENTITY), None)
        if state.finished:
            return self._finish(dispatcher, tracker.get_slot(CLASS_SLOT), renderer, state)
        scenario = service.scenarios_by_id()[state.current or ""]
        if letter is None:
            # typed: "b", "B.", "answer c", "the second one", "option 3" answer the question being asked
            letter = typed_choice(tracker.latest_message.get("text") or "", scenario.letters())
            if letter is None:
                _ask(dispatcher, renderer, state, CHOOSE_AGAIN)
                return []
        # A button counts only for the question it was shown with: same scenario and same number, so a
        # leftover button from an earlier question or run is never scored against another scenario.
        elif pressed_for != state.current or (number is not None and str(number) != str(state.position + 1)):
            _ask(dispatcher, renderer, state,
                 "That button was for an earlier question or quiz, so it doesn't count. Here is the current one:")
            return []
        try:
            marked = engine.mark(scenario, str(letter))
        except ValueError:
            _ask(dispatcher, renderer, state, CHOOSE_AGAIN)
            return []
        code = tracker.get_slot(CLASS_SLOT)
        events: List[Dict[str, Any]] = []
        stored = False
        note = None
        if code:
            stored = await asyncio.to_thread(service.record_answer, code, tracker.sender_id, scenario.id,
                                             marked.letter, marked.correct)
            if not stored:
                # a re-answer is simply not counted again; a class closed mid-run stops counting altogether
                lookup = await asyncio.to_thread(service.find_class, code)
                if not lookup.unreachable and (lookup.found is None or not lookup.found.is_open):
                    note = f"Class {code} has closed, so your answers from now on are for your own practice only."
                    code = None
                    events.append(SlotSet(CLASS_SLOT, None))
        new_state = engine.record(state, marked, stored_for=normalise(code) if stored else None)
        feedback = renderer.feedback(marked).text
        dispatcher.utter_message(text=f"{feedback}\n{note}" if note else feedback)
        new_state = _skip_removed(new_state)
        if new_state.finished:
            return events + self._finish(dispatcher, code, renderer, new_state)
        _ask(dispatcher, renderer, new_state)
        return events + [SlotSet(STATE_SLOT, new_state.to_slot())]

    @staticmethod
    def _finish(dispatcher: CollectingDispatcher, class_code: str | None, renderer: QuizRenderer,
                state: engine.QuizState) -> List[Dict[str, Any]]:
        message = renderer.score(state, service.scenarios_by_id(), stopped=False, class_code=class_code)
        dispatcher.utter_message(**message.as_kwargs())
        return [SlotSet(STATE_SLOT, state.to_slot()), SlotSet(ACTIVE_SLOT, False)]


class ActionQuizContinue(Action):
    def name(self) -> str:
        return "action_quiz_continue"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        state = _running(tracker)
        if state is None:
            return _no_quiz(dispatcher, tracker)
        unsure = tracker.latest_message.get("intent", {}).get("name") == UNSURE_INTENT
        _ask(dispatcher, quiz_renderer(), _skip_removed(state), UNSURE_INTRO if unsure else "Back to the quiz:")
        return []


class ActionQuizStop(Action):
    def name(self) -> str:
        return "action_quiz_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        state = _state(tracker)
        message = quiz_renderer().score(state, service.scenarios_by_id(), stopped=not state.finished,
                                        class_code=tracker.get_slot(CLASS_SLOT))
        dispatcher.utter_message(**message.as_kwargs())
        return [SlotSet(ACTIVE_SLOT, False)]


class ActionQuizJoinClass(Action):
    def name(self) -> str:
        return "action_quiz_join_class"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if not text.startswith("/") and MISSING_TEXT.search(text) and not JOINING_TEXT.search(text):
            dispatcher.utter_message(response="utter_child_missing")
            dispatcher.utter_message(text='If you meant to join a training class, type "join class" and the code '
                                          "your trainer gave you.")
            return []
        typed = next(tracker.get_latest_entity_values("class_code"), None)
        code = typed or find_code(text)
        lookup = await asyncio.to_thread(service.find_class, code)
        start = [AGAIN_BUTTON | {"title": "Start the quiz"}]
        if lookup.code is None:
            dispatcher.utter_message(
                text='To join a training class, type the code your trainer gave you, for example "join class '
                     'K7P2QX" (6 letters and numbers). If you meant something else, please ask again in other '
                     f"words. {DANGER}",
                buttons=HELP_BUTTONS)
            return []
        if lookup.unreachable:
            dispatcher.utter_message(text="I can't reach the class list just now, so I couldn't join you to "
                                          f"class {lookup.code}. Please try again in a minute. You can still "
                                          f'practise on your own: say "quiz me". {DANGER}', buttons=start)
            return []
        if lookup.found is None:
            dispatcher.utter_message(text=f"I can't find a class with the code {lookup.code}. Please check the "
                                          "code with your trainer: it is 6 letters and numbers. If you meant "
                                          f"something else, please ask again in other words. {DANGER}",
                                     buttons=HELP_BUTTONS)
            return []
        if not lookup.found.is_open:
            dispatcher.utter_message(text=f"Class {lookup.code} has closed, so answers are no longer collected "
                                          'for it. You can still practise on your own: say "quiz me". If you '
                                          f"meant something else, please ask again in other words. {DANGER}",
                                     buttons=start + HELP_BUTTONS)
            return [SlotSet(CLASS_SLOT, None)] if tracker.get_slot(CLASS_SLOT) == lookup.code else []
        name = f" ({lookup.found.name})" if lookup.found.name else ""
        running = _running(tracker) is not None
        next_step = ("Your answers count from the next question." if running
                     else 'Say "quiz me" or press the button to start.')
        dispatcher.utter_message(
            text=f"You've joined class {lookup.code}{name}. Your answers are added to the class's results "
                 f"anonymously: your name is never stored. {next_step}",
            buttons=[] if running else start)
        return [SlotSet(CLASS_SLOT, lookup.code)]
