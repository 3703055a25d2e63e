import msgspec

from sync.catalogue import checklist, prompt_ids
from sync.pull import pull
from tests.builders import World


def test_checklist_has_four_areas_and_eleven_prompts() -> None:
    data = checklist()
    assert [a["id"] for a in data["areas"]] == ["business", "management", "demand", "suggestion"]
    assert len(prompt_ids()) == 11
    for area in data["areas"]:
        for p in area["prompts"]:
            assert p["text_zh"] and p["text_en"] and p["id"].startswith(area["id"] + ".")


def test_catalogue_is_pulled_with_its_version(world: World) -> None:
    page = pull(world.db, world.actor("u-cadre1"), 0, 1000)
    [cat] = [c for c in page.changes if c.entity == "catalogue"]
    row = msgspec.json.decode(cat.row)
    assert row["id"] == "checklist" and row["version"] == checklist()["version"]
