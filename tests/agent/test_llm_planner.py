"""The LLM planner's pieces that need no model: reading JSON and tool calls out of text replies, the
recipe schema and prompt built from the retrieved candidates, validation through the tools layer, and
the repair rounds (against the scripted server, which stands in for a model that answers wrongly)."""
from __future__ import annotations

import json

import pytest

from agent.llm import LLMClient, LLMConfig, LLMError, json_values, read_object, tool_calls_in_text
from agent.nodes.llm_prompt import describe, per_need_schema
from agent.nodes.planning import LLMPlanner, prompt, validation_error
from tests.agent.scripted_openai_server import ScriptedOpenAIServer

RECIPE = {"process": [{"text_length_filter": {"min_len": 20}}], "justifications": ["drops short texts"]}
NEEDS = {"content": json.dumps({"needs": ["drop texts shorter than 20 characters"]})}  # the first question
CANDIDATES = [{"name": "text_length_filter"}, {"name": "document_deduplicator"}, {"name": "not_an_op"}]


@pytest.mark.parametrize("text", [
    json.dumps(RECIPE),
    "Here is the recipe:\n```json\n" + json.dumps(RECIPE) + "\n```\nHope it helps.",
    "Sure! " + json.dumps(RECIPE) + " That is all.",
    "<tool_call>\n" + json.dumps({"name": "submit_recipe", "arguments": RECIPE}) + "\n</tool_call>",
    json.dumps({"name": "submit_recipe", "arguments": json.dumps(RECIPE)}),  # arguments as a JSON string
    json.dumps({"tool_calls": [{"function": {"name": "submit_recipe", "arguments": RECIPE}}]}),
])
def test_recipe_read_from_any_text_shape(text):
    assert read_object(text, "submit_recipe") == RECIPE


def test_text_tool_calls_and_garbage():
    calls = tool_calls_in_text('<tool_call>{"name": "search_operators", "parameters": {"query": "dedup"}}</tool_call>'
                               '<tool_call>{"name": "get_operator_info", "arguments": {"name": "x"}}</tool_call>')
    assert [(c.name, c.arguments) for c in calls] == [("search_operators", {"query": "dedup"}),
                                                      ("get_operator_info", {"name": "x"})]
    assert json_values("no json here {oops") == []
    with pytest.raises(LLMError) as info:
        read_object("I cannot help with that.")
    assert info.value.kind == "malformed"


def test_text_tool_call_becomes_a_tool_call_when_tools_were_offered():
    text = '```json\n{"name": "search_operators", "arguments": {"query": "short texts"}}\n```'
    spec = [{"type": "function", "function": {"name": "search_operators", "parameters": {"type": "object"}}}]
    with ScriptedOpenAIServer([{"content": text}]) as srv:
        client = LLMClient(LLMConfig(base_url=srv.base_url, model="scripted", max_retries=0))
        reply = client.complete([{"role": "user", "content": "x"}], tools=spec,
                                tool_choice={"type": "function", "function": {"name": "search_operators"}})
    assert [(c.name, c.arguments) for c in reply.tool_calls] == [("search_operators", {"query": "short texts"})]


def test_schema_and_prompt_hold_only_the_candidates_and_their_own_arguments():
    needs = ["short texts out", "no copies"]
    schema = per_need_schema(needs, [["text_length_filter", "words_num_filter"], ["document_deduplicator"]])
    assert schema["properties"]["needs"] == {"const": needs}
    steps = schema["properties"]["process"]
    assert steps["maxItems"] == steps["minItems"] == 2
    ops = [[next(iter(s["properties"])) for s in step["anyOf"]] for step in steps["prefixItems"]]
    assert ops == [["text_length_filter", "words_num_filter"], ["document_deduplicator"]]
    length_args = steps["prefixItems"][0]["anyOf"][0]["properties"]["text_length_filter"]
    assert set(length_args["properties"]) == {"min_len", "max_len"}  # not text_key, num_proc, ...
    assert length_args["properties"]["min_len"] == {"type": "integer"} and not length_args["additionalProperties"]
    text = describe(["text_length_filter", "document_deduplicator"])
    assert "min_len (integer, lowest characters kept" in text and "text_key" not in text
    assert len(text) < 800  # a 0.5B model's context holds eight of these


def test_validation_through_the_tools_layer():
    assert validation_error({"process": [{"text_length_filter": {"min_len": 20}}]}) == ""
    assert "unknown operator 'text_lenght_filter'" in validation_error({"process": [{"text_lenght_filter": {}}]})
    assert "min_len" in validation_error({"process": [{"text_length_filter": {"min_len": "abc"}}]})
    assert "above max_len" in validation_error({"process": [{"text_length_filter": {"min_len": 50, "max_len": 5}}]})
    assert "no process steps" in validation_error({"process": []})


def _planner(srv: ScriptedOpenAIServer) -> LLMPlanner:
    return LLMPlanner(LLMClient(LLMConfig(base_url=srv.base_url, model="scripted", max_retries=0)))


def test_invalid_recipe_goes_back_with_the_error_and_is_repaired():
    bad = {"process": [{"text_lenght_filter": {"min_len": 20}}], "justifications": ["?"]}
    with ScriptedOpenAIServer([NEEDS, {"content": json.dumps(bad)}, {"content": json.dumps(RECIPE)}]) as srv:
        out = _planner(srv).draft("drop texts shorter than 20 characters", candidates=CANDIDATES)
        assert out["recipe"]["process"] == RECIPE["process"]
        assert out["notes"] == ["the LLM's recipe was repaired in 1 round(s)"]
        needs, first, second = srv.requests
        assert list(needs["response_format"]["json_schema"]["schema"]["properties"]) == ["needs"]
        schema = first["response_format"]["json_schema"]["schema"]
        assert schema["properties"]["needs"] == {"const": ["drop texts shorter than 20 characters"]}
        assert schema["properties"]["process"]["minItems"] == schema["properties"]["process"]["maxItems"] == 1
        step, = schema["properties"]["process"]["prefixItems"]  # one step, among the need's own operators
        listed = [next(iter(s["properties"])) for s in step["anyOf"]]
        assert listed[0] == "text_length_filter" and "document_deduplicator" in listed  # the goal's candidates too
        assert "text_length_filter" in first["messages"][1]["content"]
        repair = second["messages"][-1]["content"]
        assert repair.startswith("That recipe is not valid:") and "unknown operator 'text_lenght_filter'" in repair
        assert second["messages"][-2] == {"role": "assistant", "content": json.dumps(bad)}


def test_still_invalid_after_three_repairs_is_reported():
    with ScriptedOpenAIServer([{"content": "I think you should filter the data."}]) as srv:
        with pytest.raises(LLMError) as info:
            _planner(srv).draft("drop texts shorter than 20 characters", candidates=CANDIDATES)
        assert info.value.kind == "invalid" and not info.value.transport
        assert "after 3 repair rounds" in str(info.value) and len(srv.requests) == 5  # needs + 4 drafts


def test_server_errors_are_not_repaired():
    with ScriptedOpenAIServer([{"status": 500, "error": "model crashed"}]) as srv:
        with pytest.raises(LLMError) as info:
            _planner(srv).draft("drop texts shorter than 20 characters", candidates=CANDIDATES)
        assert info.value.kind == "status" and not info.value.transport and len(srv.requests) == 1


def test_prompts_format():
    assert "{goal}" in prompt("graph_plan.md") and "{error}" in prompt("graph_repair.md")


def test_steps_and_arguments_held_to_the_goal():
    from agent.nodes.llm_grounding import ground

    goal = "keep English texts of 50 to 2,000 characters, at most 30% special characters, remove duplicates"
    process = [{"language_id_score_filter": {"lang": "en", "min_score": 0.8}},
               {"text_length_filter": {"min_len": 50, "max_len": 2000}},
               {"special_characters_filter": {"max_ratio": 0.3, "min_ratio": 0.0}},
               {"document_deduplicator": {"lowercase": True}},
               {"text_length_filter": {"min_len": 50}},
               {"clean_email_mapper": {"pattern": "[a-z]+@[a-z]+"}}]
    needs = ["English", "50 to 2,000 characters", "at most 30% special characters", "remove duplicates"]
    assert ground(process, needs, goal) == [{"language_id_score_filter": {"lang": "en"}},
                                            {"text_length_filter": {"min_len": 50, "max_len": 2000}},
                                            {"special_characters_filter": {"max_ratio": 0.3}},
                                            {"document_deduplicator": {}}]


def test_operators_for_fields_the_data_lacks_are_not_offered_and_are_repaired():
    """Text-only data: a video operator is neither among the grammar's candidates nor accepted when a
    model writes it anyway (the error goes back and the next round's grammar leaves it out)."""
    from agent.nodes.llm_prompt import suits_data

    text_only = {"path": "mini.jsonl", "fields": ["text", "meta"]}
    names = ["text_length_filter", "video_duration_filter", "image_size_filter", "document_deduplicator"]
    assert suits_data(names, text_only) == ["text_length_filter", "document_deduplicator"]
    assert suits_data(names, {"fields": ["text", "videos"]}) == ["text_length_filter", "video_duration_filter",
                                                               "document_deduplicator"]
    assert suits_data(names, None) == names
    video = {"process": [{"video_duration_filter": {"min_duration": 20}}]}
    good = {"process": [{"text_length_filter": {"min_len": 20}}]}
    with ScriptedOpenAIServer([NEEDS, {"content": json.dumps(video)}, {"content": json.dumps(good)}]) as srv:
        out = _planner(srv).draft("drop texts shorter than 20 characters", text_only,
                                  candidates=[{"name": n} for n in names])
        assert out["recipe"]["process"] == good["process"]
        _, first, second = srv.requests
        assert "video_duration_filter" not in first["messages"][1]["content"]
        step, = first["response_format"]["json_schema"]["schema"]["properties"]["process"]["prefixItems"]
        listed = [next(iter(s["properties"])) for s in step["anyOf"]]
        assert "text_length_filter" in listed and not any(n.startswith(("video_", "image_")) for n in listed)
        assert "reads a field the data does not have" in second["messages"][-1]["content"]


def test_needs_kept_only_where_the_goal_says_them():
    from agent.nodes.llm_grounding import goal_needs

    goal = "docs longer than 2k characters: remove them, then drop exact duplicates"
    padded = ["docs longer than 2k characters", "keep only the first part of the goal, in its words",
              "drop exact duplicates", "Drop exact duplicates", "keep_alphabet", 7]
    assert goal_needs(padded, goal, 8) == ["docs longer than 2k characters", "drop exact duplicates"]
    assert goal_needs(["去掉重复的句子", "保留英文"], "去掉重复的句子", 8) == ["去掉重复的句子"]
    assert goal_needs(None, goal, 8) == [goal]
    assert goal_needs(["a b c"] * 3, "x", 2) == ["x"]


@pytest.mark.parametrize("goal,args,want", [
    ("texts under 20 chars should be thrown away", {"max_len": 20}, {"min_len": 20}),
    ("hey, could you throw out every text shorter than 20 characters?", {"min_len": 20, "max_len": 20},
     {"min_len": 20}),
    ("docs longer than 2k characters: remove them", {"min_len": 2000}, {"max_len": 2000}),
    ("只保留不少于50个字的文本", {"max_len": 50}, {"min_len": 50}),
    ("keep texts of 50 to 2000 characters", {"min_len": 50, "max_len": 2000}, {"min_len": 50, "max_len": 2000}),
    ("keep texts of 50 to 2000 characters", {"min_len": 2000, "max_len": 50}, {"min_len": 2000, "max_len": 50}),
    ("remove samples with more than 30% special characters", {"min_ratio": 0.3}, {"max_ratio": 0.3}),
])
def test_llm_bounds_land_on_the_side_the_goal_means(goal, args, want):
    """The LLM path uses the built-in planner's polarity table: a small model's inverted or doubled
    bound is put on the side the goal's comparator and verb give (a range is left as written; the
    validation then catches min above max)."""
    from agent.nodes.llm_grounding import sided

    assert sided(args, goal) == want


def test_filter_options_stay_when_the_goal_states_them():
    from agent.nodes.llm_grounding import ground

    goal = "speed the audio up with ffmpeg's atempo filter, tempo=1.25"
    step = {"audio_ffmpeg_wrapped_mapper": {"filter_name": "atempo", "filter_kwargs": {"tempo": 1.25}}}
    assert ground([step], None, goal) == [step]
    invented = {"audio_ffmpeg_wrapped_mapper": {"filter_name": "atempo", "filter_kwargs": {"volume": 3}}}
    assert ground([invented], None, goal) == [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "atempo"}}]
