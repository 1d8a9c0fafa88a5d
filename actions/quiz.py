"""Training mode: scenario quiz actions. Thin: the quiz itself is bot/quiz/."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.quiz import engine, service
from bot.quiz.codes import find_code
from bot.quiz.render import AGAIN_BUTTON, CHOICE_ENTITY, QUESTION_ENTITY, QuizRenderer, quiz_renderer

ACTIVE_SLOT, STATE_SLOT, CLASS_SLOT = "quiz_active", "quiz_state", "quiz_class"
NO_QUIZ = 'There is no quiz running just now. Say "quiz me" to start one.'


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
        state = engine.QuizState(state.run, state.position + 1, state.correct, state.answered, state.runs,
                                 state.wrong, state.class_code)
    return state


def _no_quiz(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(text=NO_QUIZ, buttons=[AGAIN_BUTTON | {"title": "Start the quiz"}])


class ActionQuizStart(Action):
    def name(self) -> str:
        return "action_quiz_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        code = tracker.get_slot(CLASS_SLOT)
        state = engine.start(_state(tracker), service.scenarios(), tracker.sender_id, code)
        intro = None
        if code:
            lookup = await asyncio.to_thread(service.find_class, code)
            if lookup.found and not lookup.found.is_open:
                intro = f"Class {code} has closed, so these answers are for your own practice only."
                code = None
            elif lookup.found:
                intro = f"Class {code}: your answers are added to the class's results anonymously."
        _ask(dispatcher, quiz_renderer(), state, intro)
        return [SlotSet(STATE_SLOT, state.to_slot()), SlotSet(ACTIVE_SLOT, True)]


class ActionQuizAnswer(Action):
    def name(self) -> str:
        return "action_quiz_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        state = _running(tracker)
        if state is None:
            _no_quiz(dispatcher)
            return [SlotSet(ACTIVE_SLOT, False)] if tracker.get_slot(ACTIVE_SLOT) else []
        renderer = quiz_renderer()
        state = _skip_removed(state)
        letter = next(tracker.get_latest_entity_values(CHOICE_ENTITY), None)
        number = next(tracker.get_latest_entity_values(QUESTION_ENTITY), None)
        if state.finished or (number is not None and str(number) != str(state.position + 1)):
            if state.finished:
                return self._finish(dispatcher, tracker, renderer, state)
            _ask(dispatcher, renderer, state, "That button was for an earlier question. Here is the current one:")
            return []
        scenario = service.scenarios_by_id()[state.current or ""]
        try:
            marked = engine.mark(scenario, str(letter or ""))
        except ValueError:
            _ask(dispatcher, renderer, state, "Please choose one of the answer buttons.")
            return []
        new_state = engine.record(state, marked)
        code = tracker.get_slot(CLASS_SLOT)
        if code:
            await asyncio.to_thread(service.record_answer, code, tracker.sender_id, scenario.id, marked.letter,
                                    marked.correct)
        dispatcher.utter_message(text=renderer.feedback(marked).text)
        new_state = _skip_removed(new_state)
        if new_state.finished:
            return self._finish(dispatcher, tracker, renderer, new_state)
        _ask(dispatcher, renderer, new_state)
        return [SlotSet(STATE_SLOT, new_state.to_slot())]

    @staticmethod
    def _finish(dispatcher: CollectingDispatcher, tracker: Tracker, renderer: QuizRenderer,
                state: engine.QuizState) -> List[Dict[str, Any]]:
        message = renderer.score(state, service.scenarios_by_id(), stopped=False,
                                 class_code=tracker.get_slot(CLASS_SLOT))
        dispatcher.utter_message(**message.as_kwargs())
        return [SlotSet(STATE_SLOT, state.to_slot()), SlotSet(ACTIVE_SLOT, False)]


class ActionQuizContinue(Action):
    def name(self) -> str:
        return "action_quiz_continue"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        state = _running(tracker)
        if state is None:
            _no_quiz(dispatcher)
            return [SlotSet(ACTIVE_SLOT, False)] if tracker.get_slot(ACTIVE_SLOT) else []
        _ask(dispatcher, quiz_renderer(), _skip_removed(state), "Back to the quiz:")
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
        typed = next(tracker.get_latest_entity_values("class_code"), None)
        code = typed or find_code(tracker.latest_message.get("text") or "")
        lookup = await asyncio.to_thread(service.find_class, code)
        start = [AGAIN_BUTTON | {"title": "Start the quiz"}]
        if lookup.code is None:
            # Also where a real question lands if it was misread as joining a class: point the way.
            dispatcher.utter_message(
                text='To join a training class, type the code your trainer gave you, for example "join class '
                     'K7P2QX" (6 letters and numbers). If you meant something else, please ask again in other '
                     "words. If a child is in immediate danger, call 999.",
                buttons=[{"title": "Who to notify when a child goes missing", "payload": "/child_missing"},
                         {"title": "What else can you help with?", "payload": "/help"}])
            return []
        if lookup.unreachable:
            dispatcher.utter_message(text="I can't reach the class list just now, so I couldn't join you to "
                                          f"class {lookup.code}. Please try again in a minute. You can still "
                                          'practise on your own: say "quiz me".', buttons=start)
            return []
        if lookup.found is None:
            dispatcher.utter_message(text=f"I can't find a class with the code {lookup.code}. Please check the "
                                          "code with your trainer: it is 6 letters and numbers.")
            return []
        if not lookup.found.is_open:
            dispatcher.utter_message(text=f"Class {lookup.code} has closed, so answers are no longer collected "
                                          'for it. You can still practise on your own: say "quiz me".',
                                     buttons=start)
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
