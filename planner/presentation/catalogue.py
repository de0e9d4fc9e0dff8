"""The translation catalogue: every interface string, keyed, in English and Russian.

Every string a person reads (layer names, legends, popup fields, page titles, table headers,
CLI lines, explanation sentences, status words) is a key of ``STRINGS`` with its English and
Russian text; ``t(key, lang, **values)`` looks one up and formats the values in. Data text
(facility names, addresses, sources) is not here: it comes from the town folder and is escaped
where it is shown. Keys starting with ``map.`` are the map's own strings (``map_text``).

``UNIT_FORMS_EN`` and ``UNIT_FORMS_RU`` give the singular/plural forms of the capacity units the
norm sets use, so that ``planner.presentation.words.quantity`` can write "1 place" and
"2 места". Use ``planner.presentation.words`` to turn keys, names and numbers into text; this
module only holds the strings. A test fails when a key lacks either language, when the two
texts have different placeholders, or when code uses a key that is not here.

Nothing here imports Streamlit, so maps, exports and the CLI can use the same text.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["en", "ru"]
LANGUAGES: tuple[Lang, ...] = ("en", "ru")

UNIT_FORMS_EN: dict[str, tuple[str, str]] = {
    "places": ("place", "places"),
    "seats": ("seat", "seats"),
    "reader seats": ("reader seat", "reader seats"),
    "beds": ("bed", "beds"),
    "visits per shift": ("visit per shift", "visits per shift"),
    "objects": ("object", "objects"),
}
"""English (singular, plural) of a capacity unit, keyed by the plural a norm set uses."""

UNIT_FORMS_RU: dict[str, tuple[str, str, str, str]] = {
    "мест": ("место", "места", "мест", "места"),
    "мест в зрительном зале": (
        "место в зрительном зале",
        "места в зрительном зале",
        "мест в зрительном зале",
        "места в зрительном зале",
    ),
    "читательских мест": (
        "читательское место",
        "читательских места",
        "читательских мест",
        "читательского места",
    ),
    "коек": ("койка", "койки", "коек", "койки"),
    "посещений в смену": (
        "посещение в смену",
        "посещения в смену",
        "посещений в смену",
        "посещения в смену",
    ),
    "объектов": ("объект", "объекта", "объектов", "объекта"),
}
"""Russian forms of a capacity unit after a number: (one, few, many, other), keyed by the
genitive plural a norm set uses ("мест"). ``other`` is for fractions (the genitive singular):
1 место, 2 места, 5 мест, 28,4 места. Units written as symbols (м²) need no forms."""

_MAP: dict[str, tuple[str, str]] = {
    "boundary": ("Town boundary", "Граница города"),
    "districts": ("Districts", "Районы"),
    "streets": ("Streets", "Улицы"),
    "water": ("Water", "Водные объекты"),
    "rail": ("Railway", "Железная дорога"),
    "basemap": ("OpenStreetMap (online)", "OpenStreetMap (онлайн)"),
    "osm_attribution": (
        '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        '© участники <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    ),
    "legend": ("Legend", "Легенда"),
    "facilities": ("Facilities", "Учреждения"),
    "lines": ("Lines", "Линии"),
    "bridge": ("Bridge", "Мост"),
    "planned": ("dashed outline: planned", "пунктир: планируемое"),
    "closed": ("hollow: closed", "пустой кружок: закрыто"),
    "name": ("Name", "Название"),
    "name_ru": ("Name (Russian)", "Название (рус.)"),
    "service": ("Service", "Услуга"),
    "address": ("Address", "Адрес"),
    "capacity": ("Capacity", "Вместимость"),
    "status": ("Status", "Статус"),
    "provenance": ("Provenance", "Происхождение"),
    "source": ("Source", "Источник"),
    "note": ("Note", "Примечание"),
    "unknown": ("unknown", "неизвестно"),
    "estimate": ("estimate", "оценка"),
    "block": ("Block", "Квартал"),
    "population": ("Residents", "Жителей"),
    "housing": ("Housing", "Застройка"),
    "district": ("District", "Район"),
    "kind": ("Kind", "Тип"),
    "street": ("Street", "Улица"),
    # The analysis map.
    "coverage_layer": ("Residential blocks: {view}", "Жилые кварталы: {view}"),
    "units_title": ("Residential blocks", "Жилые кварталы"),
    "load": ("Load", "Загрузка"),
    "load_value": ("{load} of {capacity} ({share})", "{load} из {capacity} ({share})"),
    "served_within": ("Residents served within the norm", "Обслужено жителей в нормативе"),
    "facility_size": ("size: capacity; colour: load", "размер: вместимость; цвет: загрузка"),
    "catchments": ("Walking catchments ({limit} m)", "Зоны пешей доступности ({limit} м)"),
    "radius_circles": ("Normative radius ({radius} m)", "Нормативный радиус ({radius} м)"),
    "areas": ("Areas", "Зоны"),
    "gap_zones": ("Gap zones", "Зоны дефицита"),
    "selected_zone": ("Selected: {zone}", "Выбрано: {zone}"),
    "selected_district": ("Selected: {district}", "Выбрано: {district}"),
    "gap_zone": ("Gap zone", "Зона дефицита"),
    "unmet_places": ("Shortfall", "Не хватает"),
    "unmet_residents": (
        "Residents not served within the norm",
        "Жителей без места в нормативе",
    ),
    "project": ("Suggested project", "Предлагаемый объект"),
    "coverage_status": ("Coverage", "Обеспеченность"),
    "nearest": ("Nearest facility", "Ближайшее учреждение"),
    "distance": ("Walk (m)", "Пешком (м)"),
    "walk_time": ("Walk (min)", "Пешком (мин)"),
    "services_within": ("Services within the norm", "Услуг в нормативе"),
    # Leaflet's own controls (planner.maps.elements.MapControls).
    "zoom_in": ("Zoom in", "Приблизить"),
    "zoom_out": ("Zoom out", "Отдалить"),
    "layers": ("Layers", "Слои"),
    "leaflet": ("A JavaScript library for interactive maps", "Библиотека JavaScript для карт"),
    "metres": ("{value} m", "{value} м"),
    "kilometres": ("{value} km", "{value} км"),
}

STRINGS: dict[str, tuple[str, str]] = {f"map.{key}": value for key, value in _MAP.items()} | {
    # Coverage classes of residential units (map colours, charts, tooltips).
    "status.within_norm": ("served within the norm", "обслужены в нормативе"),
    "status.beyond_norm": ("served beyond the norm", "обслужены за пределами норматива"),
    "status.partly_unserved": ("partly unserved", "частично не обслужены"),
    "status.unserved": ("not served at all", "не обслужены совсем"),
    "status.no_demand": ("no demand", "нет потребности"),
    "status.within_walk": ("within walking distance", "в пешей доступности"),
    "status.beyond_walk": ("beyond walking distance", "вне пешей доступности"),
    "status.within_radius": ("within the radius", "в пределах радиуса"),
    "status.beyond_radius": ("beyond the radius", "за пределами радиуса"),
    "status.both": ("within radius and walk", "в радиусе и в пешей доступности"),
    "status.cut_off": (
        "within the radius, beyond the walk (cut off)",
        "в радиусе, но вне пешей доступности (отрезаны)",
    ),
    "status.walk_only": ("within walk, beyond the radius", "пешком близко, вне радиуса"),
    "status.neither": ("beyond radius and walk", "вне радиуса и пешей доступности"),
    "status.all": ("every service", "все услуги"),
    "status.most": ("half or more of the services", "половина услуг и более"),
    "status.some": ("fewer than half", "менее половины услуг"),
    "status.none": ("none", "ни одной"),
    "status.cut_off_any": (
        "cut off from at least one service",
        "отрезаны хотя бы от одной услуги",
    ),
    "status.no_cut_off": ("radius and walk agree", "радиус и пешая доступность совпадают"),
    "load.low": ("load below 70 %", "загрузка ниже 70 %"),
    "load.high": ("load 70–99 %", "загрузка 70–99 %"),
    "load.full": ("full: every place taken", "заполнено: все места заняты"),
    "load.unknown": ("load unknown", "загрузка неизвестна"),
    "view.network": ("walking network", "пешеходная сеть"),
    "view.radius": ("normative radius", "нормативный радиус"),
    "view.disagree": ("where they disagree", "где они расходятся"),
    "light.good": ("good", "хорошо"),
    "light.fair": ("fair", "удовлетворительно"),
    "light.poor": ("poor", "плохо"),
    "light.n/a": ("n/a", "н/д"),
    "provenance.osm": ("OpenStreetMap", "OpenStreetMap"),
    "provenance.verified": ("verified", "проверено"),
    "provenance.approximate": ("approximate position", "приблизительное положение"),
    "provenance.modelled": ("modelled", "смоделировано"),
    "provenance.illustrative": ("illustrative", "условно"),
    "facility_status.existing": ("existing", "действует"),
    "facility_status.planned": ("planned", "планируется"),
    "facility_status.closed": ("closed", "закрыто"),
    # Application frame and sidebar.
    "app.title": ("Gusev Planner", "Гусев: планировщик"),
    "app.heading": ("{name}: social infrastructure", "{name}: социальная инфраструктура"),
    "app.subtitle": (
        "official population {population} ({year}; source on the Data & sources page) · "
        "norms: {norms}",
        "официальное население {population} ({year}; источник — на странице «Данные и "
        "источники») · нормативы: {norms}",
    ),
    "app.unexpected": (
        "Something went wrong while showing this page ({error}). The other pages and the "
        "sidebar still work; change a setting or press Reload data.",
        "При показе страницы произошла ошибка ({error}). Остальные страницы и боковая панель "
        "работают; измените настройку или нажмите «Перечитать данные».",
    ),
    "page.overview": ("Overview", "Обзор"),
    "page.map": ("Map", "Карта"),
    "page.gaps": ("Gaps", "Дефициты"),
    "page.facilities": ("Facilities", "Учреждения"),
    "page.sources": ("Data & sources", "Источники"),
    "side.language": ("Language / Язык", "Язык / Language"),
    "side.data": ("Data", "Данные"),
    "side.town_folder": ("Town folder", "Папка города"),
    "side.town_folder_help": (
        "A folder with town.toml and the GeoJSON layers (docs/architecture.md, “The town folder”).",
        "Папка с town.toml и слоями GeoJSON (описание: docs/architecture.md).",
    ),
    "side.norm_set": ("Norm set", "Нормативы"),
    "side.reload": ("Reload data", "Перечитать данные"),
    "side.reload_help": (
        "Read the town folder again after editing its files.",
        "Прочитать папку города заново после правки файлов.",
    ),
    "side.analysis": ("Analysis", "Анализ"),
    "side.service": ("Service", "Услуга"),
    "side.all_services": ("All services", "Все услуги"),
    "side.district": ("District", "Район"),
    "side.all_districts": ("All districts", "Все районы"),
    "side.pace": ("Walking pace", "Скорость ходьбы"),
    "pace.adult": ("adult, {speed} m/min", "взрослый, {speed} м/мин"),
    "pace.elderly": (
        "elderly / small children, {speed} m/min",
        "пожилые / малыши, {speed} м/мин",
    ),
    "side.pace_help": (
        "Changes walking times (minutes). The norms' distances in metres stay as they are.",
        "Меняет время в пути (минуты). Нормативные расстояния в метрах не меняются.",
    ),
    "side.planned": ("Count planned facilities", "Учитывать планируемые учреждения"),
    "side.no_norm_sets": ("No norm set can be read: {error}", "Нормативы не читаются: {error}"),
    # Errors and empty states.
    "err.invalid_town": (
        "The town folder cannot be loaded: {errors} error(s). Fix them, then press "
        "**Reload data**.",
        "Папку города нельзя загрузить: ошибок — {errors}. Исправьте их и нажмите "
        "**Перечитать данные**.",
    ),
    "err.no_town": (
        "No town is loaded, so there is nothing to show here. Fix the town folder or the norm "
        "set in the sidebar.",
        "Город не загружен, показывать нечего. Исправьте папку города или нормативы в боковой "
        "панели.",
    ),
    "err.no_assets": ("The map cannot be shown: {error}", "Карту нельзя показать: {error}"),
    "warnings": ("{count} data warning(s)", "Предупреждений по данным: {count}"),
    "empty.district": (
        "No residents live in the selected district, so it has no coverage figures. Choose "
        "another district or all districts.",
        "В выбранном районе нет жителей, поэтому показателей нет. Выберите другой район или "
        "все районы.",
    ),
    "empty.gaps": (
        "No gap zones for this selection: every resident is served within the norm.",
        "Для этого выбора зон дефицита нет: все жители обслужены в нормативе.",
    ),
    "empty.facilities": (
        "No facilities match this selection. Clear the filter or pick another service or district.",
        "Нет учреждений для этого выбора. Снимите фильтр или выберите другую услугу или район.",
    ),
    "empty.services": (
        "The norm set has no service with a walking norm, so there is no coverage to show.",
        "В нормативах нет услуг с нормой пешей доступности — показывать нечего.",
    ),
    # Overview.
    "ov.population": ("Population", "Население"),
    "ov.population_help": ("Sum of the residential layer.", "Сумма по жилому слою."),
    "ov.facilities": ("Facilities", "Учреждения"),
    "ov.modelled": ("Modelled features", "Смоделировано объектов"),
    "ov.modelled_help": (
        "Share of all features whose provenance is modelled or illustrative.",
        "Доля объектов с происхождением «смоделировано» или «условно».",
    ),
    "ov.poor": ("Services in poor state", "Услуг в плохом состоянии"),
    "ov.scorecard": ("Scorecard", "Показатели по услугам"),
    "ov.scorecard_caption": (
        "Traffic light: good ≥ 90 %, fair ≥ 70 %, poor below, of demand served within the "
        "norm (capacity counted) or, without a demand rule, of residents within walking "
        "distance. Pace: {speed} m/min.",
        "Светофор: хорошо ≥ 90 %, удовлетворительно ≥ 70 %, ниже — плохо; доля потребности, "
        "обслуженной в нормативе (с учётом вместимости), а без нормы потребности — доля жителей "
        "в пешей доступности. Скорость: {speed} м/мин.",
    ),
    "ov.by_district": ("By district: {service}", "По районам: {service}"),
    "ov.by_district_all": (
        "By district: demand served within the norm",
        "По районам: потребность, обслуженная в нормативе",
    ),
    "ov.in_district": ("District: {district}", "Район: {district}"),
    "ov.chart_caption": ("residents by coverage", "жители по обеспеченности"),
    "ov.card_counts": (
        "{chart} · gap zones: {zones} · full: {full} · overloaded: {overloaded}",
        "{chart} · зон дефицита: {zones} · заполнено: {full} · перегружено: {overloaded}",
    ),
    "col.service": ("Service", "Услуга"),
    "col.status": ("Status", "Состояние"),
    "col.facilities": ("Facilities", "Учреждений"),
    "col.residents": ("Residents", "Жителей"),
    "col.covered_network": ("Within walk (network)", "В пешей доступности (сеть)"),
    "col.covered_radius": ("Within radius", "В радиусе"),
    "col.within_time": ("Within {minutes} min at this pace", "В пределах {minutes} мин"),
    "col.within_time_short": ("Within the minutes limit", "В пределах норматива в минутах"),
    "col.cut_off": ("In radius, beyond walk", "В радиусе, но далеко пешком"),
    "col.median_walk": ("Median walk (min)", "Медиана пути (мин)"),
    "col.provision": ("Provision", "Обеспеченность"),
    "col.demand": ("Demand", "Потребность"),
    "col.unmet": ("Shortfall", "Не хватает"),
    "col.unit": ("Unit", "Ед."),
    "col.gap_zones": ("Gap zones", "Зон дефицита"),
    "col.overloaded": ("Overloaded", "Перегружено"),
    # Definitions shown beside the figures (column help, captions).
    "def.unmet": (
        "Places short: places needed minus places provided within the walking norm.",
        "Не хватает мест: нужно мест минус мест, обеспеченных в пределах пешего норматива.",
    ),
    "def.unmet_residents": (
        "Residents not served within the norm: each block's residents times the share of its "
        "places not provided within the walking norm — served farther away or not at all. The "
        "Overview's bar splits them into “served beyond the norm” and “not served at all”.",
        "Жителей без места в нормативе: жители каждого квартала, умноженные на долю его мест, "
        "не обеспеченных в пределах пешего норматива, — обслужены дальше или не обслужены "
        "совсем. Полоса на странице «Обзор» делит их на «обслужены за пределами норматива» и "
        "«не обслужены совсем».",
    ),
    "def.full": (
        "Full: every place taken (load at least 99.9 % of capacity), the darkest markers on "
        "the map.",
        "Заполнено: заняты все места (загрузка не ниже 99,9 % вместимости), самые тёмные "
        "значки на карте.",
    ),
    "def.overloaded": (
        "Overloaded: the homes within the walk for which it is the nearest need more places "
        "than it has.",
        "Перегружено: домам в пешей доступности, для которых оно ближайшее, нужно больше мест, "
        "чем в нём есть.",
    ),
    "col.district": ("District", "Район"),
    "col.rank": ("Rank", "№"),
    "col.zone": ("Zone", "Зона"),
    "col.unmet_residents": (
        "Residents not served within the norm",
        "Жителей без места в нормативе",
    ),
    "col.full": ("Full", "Заполнено"),
    "col.project": ("Suggested project", "Предлагаемый объект"),
    "col.clause": ("Clause", "Норма"),
    "col.name": ("Name", "Название"),
    "col.address": ("Address", "Адрес"),
    "col.capacity": ("Capacity", "Вместимость"),
    "col.load": ("Load", "Загрузка"),
    "col.load_share": ("Load share", "Доля загрузки"),
    "col.served_within": ("Residents served within norm", "Обслужено жителей в нормативе"),
    "col.provenance": ("Provenance", "Происхождение"),
    "col.source": ("Source", "Источник"),
    "col.required": ("Required", "Требуется"),
    "col.existing": ("Existing", "Есть"),
    "col.missing": ("Missing", "Не хватает"),
    "col.reason": ("Why", "Почему"),
    "col.layer": ("Layer", "Слой"),
    "col.features": ("Features", "Объектов"),
    "col.modelled_share": ("Modelled share", "Доля смоделированного"),
    "col.value": ("Value", "Значение"),
    "col.document": ("Document", "Документ"),
    "col.confidence": ("Confidence", "Достоверность"),
    "col.link": ("Link", "Ссылка"),
    "col.what": ("What", "Что"),
    "col.radius": ("Radius (m)", "Радиус (м)"),
    "col.walk_limit": ("Walk limit (m)", "Пешком (м)"),
    "col.walk_minutes": ("Walk limit (min)", "Пешком (мин)"),
    "col.nearest_demand": ("Demand of nearest homes", "Потребность ближайших домов"),
    # Map page.
    "map.view": ("Compare", "Сравнение"),
    "map.view_help": (
        "Walking network: capacity-aware coverage along the streets. Normative radius: the "
        "straight-line rule. Where they disagree: blocks inside the radius but beyond the walk.",
        "Пешеходная сеть: обеспеченность по улицам с учётом вместимости. Нормативный радиус: "
        "правило по прямой. Где расходятся: кварталы в радиусе, но далеко пешком.",
    ),
    "map.focus": ("Zoomed to {zone}.", "Карта приближена к зоне {zone}."),
    "map.focus_clear": ("Show the whole town", "Показать весь город"),
    "app.computing": (
        "Analysing the town: walking network, coverage, gap zones… (once per town and pace)",
        "Анализ города: пешеходная сеть, доступность, зоны дефицита… (один раз для города и темпа)",
    ),
    "map.selection": ("Selected block and its walk", "Выбранный квартал и путь пешком"),
    "map.route_walk": ("{distance} m on foot", "{distance} м пешком"),
    "map.route_straight": ("{distance} m straight", "{distance} м по прямой"),
    "map.click_hint": (
        "Click a residential block on the map to see why it is (not) served.",
        "Нажмите на жилой квартал на карте, чтобы узнать, почему он (не) обслужен.",
    ),
    "map.no_unit": (
        "No residential block at the clicked point. Click inside a block.",
        "В этой точке нет жилого квартала. Нажмите внутри квартала.",
    ),
    "map.explain_title": ("Block {unit}", "Квартал {unit}"),
    "map.all_services_note": (
        "All services: blocks are coloured by how many services they reach within the norm. "
        "Pick one service in the sidebar for catchments, loads and explanations.",
        "Все услуги: кварталы окрашены по числу услуг в нормативе. Выберите одну услугу в "
        "боковой панели, чтобы увидеть зоны доступности, загрузку и объяснения.",
    ),
    # Explanations of a clicked block.
    "ex.district": ("District", "Район"),
    "ex.residents": ("Residents", "Жителей"),
    "ex.status": ("Coverage", "Обеспеченность"),
    "ex.nearest": ("Nearest facility", "Ближайшее учреждение"),
    "ex.distance": ("Walking distance", "Расстояние пешком"),
    "ex.straight": ("Straight line", "По прямой"),
    "ex.walk_time": ("Walking time", "Время пешком"),
    "ex.demand": ("Places needed", "Нужно мест"),
    "ex.served_within": ("Served within the norm", "Обслужено в нормативе"),
    "ex.served_beyond": ("Served beyond the norm", "Обслужено вне норматива"),
    "ex.unserved": ("Unserved", "Не обслужено"),
    "ex.served_by": ("Served by", "Обслуживают"),
    "ex.none": ("none reachable", "недоступно"),
    "unit.metres": ("{value} m", "{value} м"),
    "unit.minutes": ("{value} min", "{value} мин"),
    "ex.no_demand": (
        "Block {unit} has no demand, so there is nothing to serve.",
        "У квартала {unit} нет потребности — обслуживать некого.",
    ),
    "ex.unreachable": (
        "Block {unit}: none of its {demand} is served because no facility is reachable.",
        "Квартал {unit}: потребность ({demand}) не обеспечена — ни одно учреждение не достижимо.",
    ),
    "ex.too_far": (
        "Block {unit}: none of its {demand} is served: the nearest facility, {name}, is "
        "{distance} m away, beyond {cap} m ({factor} × the {limit} m limit), the farthest a "
        "place counts as served.",
        "Квартал {unit}: потребность ({demand}) не обеспечена: ближайшее учреждение, {name}, в "
        "{distance} м — дальше {cap} м ({factor} × норматив {limit} м), предела, до которого "
        "место считается обеспеченным.",
    ),
    "ex.head_unserved": (
        "{unserved} of {demand} unserved",
        "не обеспечено {unserved} из {demand}",
    ),
    "ex.head_partly": (
        " ({within} served within the {limit} m limit, {beyond} beyond it)",
        " ({within} — в пределах {limit} м, {beyond} — дальше)",
    ),
    "ex.head_beyond": (
        "all {demand} served, {beyond} of them only beyond the {limit} m limit",
        "потребность ({demand}) обеспечена полностью, из них {beyond} — только дальше {limit} м",
    ),
    "ex.head_within": (
        "all {demand} served within {limit} m",
        "потребность ({demand}) обеспечена полностью в пределах {limit} м",
    ),
    "ex.nearest_sentence": (
        "the nearest facility, {name}, is {distance} m away ({side} the limit)",
        "ближайшее учреждение, {name}, в {distance} м ({side} норматива)",
    ),
    "ex.side_within": ("within", "в пределах"),
    "ex.side_beyond": ("beyond", "за пределами"),
    "ex.unknown_capacity": (
        " and has an unknown capacity, counted as unlimited",
        "; его вместимость неизвестна и считается неограниченной",
    ),
    "ex.full": (
        " and full ({load} of {capacity} taken{users})",
        " и заполнено (занято {load} из {capacity}{users})",
    ),
    "ex.full_users": (", mostly by {users}", ", в основном кварталами {users}"),
    "ex.free": (
        " and has {free} of {capacity} free",
        "; свободно {free} из {capacity}",
    ),
    "ex.sentence": ("Block {unit}: {head}; {nearest}.", "Квартал {unit}: {head}; {nearest}."),
    "ex.walk_sentence_within": (
        "Block {unit} is within walking distance: {name} is {distance} m away "
        "({minutes} min at this pace; the norm is {limit} m).",
        "Квартал {unit} в пешей доступности: до «{name}» {distance} м ({minutes} мин при "
        "выбранной скорости; норматив {limit} м).",
    ),
    "ex.walk_sentence_beyond": (
        "Block {unit} is beyond walking distance: the nearest, {name}, is {distance} m away "
        "({minutes} min at this pace; the norm is {limit} m).",
        "Квартал {unit} вне пешей доступности: ближайшее учреждение «{name}» в {distance} м "
        "({minutes} мин при выбранной скорости; норматив {limit} м).",
    ),
    "ex.walk_sentence_none": (
        "Block {unit}: no facility of this service is reachable on foot.",
        "Квартал {unit}: ни одно учреждение этой услуги недоступно пешком.",
    ),
    "ex.all_services": ("Coverage of this block by service", "Обеспеченность квартала по услугам"),
    # Gaps page.
    "gaps.title": ("Gaps: what is missing, where, and how much", "Дефициты: чего, где и сколько"),
    "gaps.ranked": ("Gap zones, largest first", "Зоны дефицита, крупнейшие первыми"),
    "gaps.ranked_caption": (
        "Residents whose demand is not met within the walking norm, grouped into zones of "
        "neighbouring blocks; places short are counted with capacity (who fits where).",
        "Жители, чья потребность не покрыта в пешем нормативе, сгруппированные в зоны соседних "
        "кварталов; нехватка мест считается с учётом вместимости.",
    ),
    "gaps.pick_zone": ("Gap zone to show on the map", "Зона дефицита для показа на карте"),
    "gaps.show_on_map": ("Show on map", "Показать на карте"),
    "gaps.required": (
        "Services the norms require for a town of {population} residents",
        "Услуги, обязательные по нормативам для города с населением {population}",
    ),
    "gaps.none_missing": (
        "None missing: the town has every service the norms require for its size.",
        "Ничего не отсутствует: в городе есть все обязательные для его размера услуги.",
    ),
    "gaps.none_missing_poor": (
        "Every service the norms require for a town of this size exists, but {poor} of {total} "
        "are rated poor on the Overview: having the building is not the same as serving the "
        "residents within the walking norm.",
        "Все обязательные для города такого размера услуги есть, но {poor} из {total} оценены "
        "на странице «Обзор» как «плохо»: наличие здания ещё не значит, что жители обслужены "
        "в пределах пешего норматива.",
    ),
    "gaps.missing": ("Missing: {services}.", "Отсутствуют: {services}."),
    "gaps.not_required": (
        "Not required for a town of this size (and therefore not flagged)",
        "Не обязательны для города такого размера (и поэтому не отмечаются)",
    ),
    "gaps.overloaded": ("Overloaded facilities", "Перегруженные учреждения"),
    "gaps.full_note": (
        "{full} facilities are full (every place taken); {overloaded} are overloaded.",
        "Заполнено учреждений (заняты все места): {full}; перегружено: {overloaded}.",
    ),
    "gaps.no_overloaded": ("No facility is overloaded.", "Перегруженных учреждений нет."),
    "gaps.req_status.missing": ("missing", "отсутствует"),
    "gaps.req_status.ok": ("present", "есть"),
    "gaps.req_status.not_required": ("not required", "не требуется"),
    "gaps.extend": (
        "no new building (extend an existing one)",
        "без нового здания (расширить существующее)",
    ),
    "gaps.no_project_size": (
        "{places} short (the norm set gives no standard project size)",
        "не хватает {places} (типового проекта в нормативах нет)",
    ),
    "gaps.new_one": (
        "1 new {service} within {limit} m walk",
        "1 новый объект «{service}» в пределах {limit} м пешком",
    ),
    "gaps.project": ("{count} × {size}", "{count} × {size}"),
    "gaps.projects": ("{projects} — {service}", "{projects} — {service}"),
    # Citations and requirement reasons.
    "cite.none": ("no normative source", "нормативный источник не указан"),
    "cite.source": (
        "{document}, {clause} (confidence {level})",
        "{document}, {clause} (достоверность {level})",
    ),
    "cite.with_projects": (
        "{walk}; project sizes: {sizes}",
        "{walk}; типовые проекты: {sizes}",
    ),
    "req.from_population": (
        "required only from {threshold} residents; the town has {population}",
        "требуется только с {threshold} жителей; в городе {population}",
    ),
    "req.no_minimum": (
        "the norm set gives no minimum count",
        "минимальное число в нормативах не задано",
    ),
    # Command-line reports.
    "cli.gaps_title": ("Gaps in {town} under {norms}", "Дефициты: {town}, нормативы «{norms}»"),
    "cli.missing": (
        "MISSING  {service}: {existing} of {required} ({clause})",
        "НЕ ХВАТАЕТ  {service}: есть {existing} из {required} ({clause})",
    ),
    "cli.not_required": ("not required here: {services}", "здесь не требуются: {services}"),
    "cli.zones": (
        "Gap zones ({count}), largest first:",
        "Зоны дефицита ({count}), крупнейшие первыми:",
    ),
    "cli.overloaded": (
        "Overloaded facilities (demand of the homes nearest to them above capacity):",
        "Перегруженные учреждения (потребность ближайших домов больше вместимости):",
    ),
    "cli.overloaded_line": (
        "{service}: {name} ({id}): capacity {capacity}, nearest demand {demand} ({ratio})",
        "{service}: {name} ({id}): вместимость {capacity}, потребность ближайших домов "
        "{demand} ({ratio})",
    ),
    "cli.none": ("none", "нет"),
    "cli.far_title": (
        "Warning: {count} place(s) lie more than {limit} m from any street:",
        "Внимание: объектов дальше {limit} м от улиц: {count}",
    ),
    "cli.far_home": (
        "home {id}: {distance} to the nearest street",
        "дом {id}: {distance} до улицы",
    ),
    "cli.far_facility": (
        "facility {id}: {distance} to the nearest street",
        "учреждение {id}: {distance} до улицы",
    ),
    "cli.far_fix": (
        "Add the footpath or entrance that serves them to streets.geojson.",
        "Добавьте в streets.geojson дорожку или вход, который к ним ведёт.",
    ),
    "cli.wrote": ("Wrote {path}", "Записан файл {path}"),
    "progress.attach": (
        "attaching homes and facilities to the streets",
        "дома и учреждения привязываются к улицам",
    ),
    "progress.distances": ("measuring walking distances", "измеряются пути пешком"),
    "progress.service": ("analysing: {service}", "анализ: {service}"),
    "progress.catchments": ("drawing walking catchments", "строятся зоны пешей доступности"),
    "progress.done": ("done", "готово"),
    "progress.export_start": ("preparing the file", "готовится файл"),
    "progress.export_summary": ("report: summary page", "отчёт: сводная страница"),
    "progress.export_scenario": ("report: before and after", "отчёт: до и после"),
    "progress.export_service": ("report: {service}", "отчёт: {service}"),
    "progress.export_annex": ("report: annex", "отчёт: приложение"),
    "progress.export_written": ("report drawn", "отчёт готов"),
    "progress.export_done": ("file written", "файл записан"),
    # Facilities page.
    "fac.title": ("Facilities", "Учреждения"),
    "fac.real_only": (
        "Real objects only (OpenStreetMap, verified, approximate position)",
        "Только реальные объекты (OpenStreetMap, проверено, приблизительное положение)",
    ),
    "fac.real_only_help": (
        "Hides modelled and illustrative facilities: stand-ins for what public sources do not "
        "give.",
        "Скрывает смоделированные и условные учреждения — замену того, чего нет в открытых "
        "источниках.",
    ),
    "fac.caption": (
        "{shown} of {total} facilities. Click a column header to sort. Load and residents "
        "served come from the capacity-aware assignment of the selected norms.",
        "Показано {shown} из {total}. Нажмите на заголовок столбца для сортировки. Загрузка и "
        "обслуженные жители — из распределения с учётом вместимости.",
    ),
    # Data & sources page.
    "src.title": ("Data & sources", "Данные и источники"),
    "src.provenance": ("Provenance of every layer", "Происхождение данных по слоям"),
    "src.provenance_intro": (
        "**OpenStreetMap**: from OpenStreetMap; **verified**: a named public source; "
        "**approximate position**: a real object whose position is estimated; **modelled** / "
        "**illustrative**: made up to stand in for what is not known.",
        "**OpenStreetMap** — из OpenStreetMap; **проверено** — по названному открытому "
        "источнику; **приблизительное положение** — реальный объект с оценённым положением; "
        "**смоделировано** / **условно** — замена неизвестного.",
    ),
    "src.modelled_share": (
        "Modelled or illustrative: {features} of features, {residents} of residents.",
        "Смоделировано или условно: {features} объектов, {residents} жителей.",
    ),
    "src.all_layers": ("All layers", "Все слои"),
    "layer.boundary": ("boundary", "граница"),
    "layer.residential": ("residential", "жилые кварталы"),
    "layer.facilities": ("facilities", "учреждения"),
    "layer.streets": ("streets", "улицы"),
    "layer.water": ("water", "водные объекты"),
    "layer.rail": ("rail", "железная дорога"),
    "layer.districts": ("districts", "районы"),
    "src.norms": ("Norms in force: {title}", "Действующие нормативы: {title}"),
    "src.norms_file": ("From {file}.", "Из файла {file}."),
    "src.licences": ("Licences and attribution", "Лицензии и атрибуция"),
    "src.town_attribution": ("Town data: {attribution}", "Данные города: {attribution}"),
    "src.population": (
        "Population: {population} ({year}, {source}). Data folder: {folder}.",
        "Население: {population} ({year}, {source}). Папка данных: {folder}.",
    ),
    "src.what.radius": ("radius", "радиус"),
    "src.what.demand": ("demand", "потребность"),
    "src.what.min_count": ("minimum count", "минимальное число"),
    "src.what.project_sizes": ("project sizes", "типовые проекты"),
    "src.what.walk_speed": ("walking pace", "скорость ходьбы"),
    "src.what.elderly_walk_speed": ("elderly pace", "скорость пожилых"),
    "src.osm": (
        "Map data © OpenStreetMap contributors, licensed under the Open Database Licence "
        "(ODbL 1.0).",
        "Картографические данные © участники OpenStreetMap, лицензия Open Database License "
        "(ODbL 1.0).",
    ),
    "src.leaflet": (
        "Leaflet 1.9 © Volodymyr Agafonkin, BSD-2-Clause licence (served locally).",
        "Leaflet 1.9 © Владимир Агафонкин, лицензия BSD-2-Clause (локально).",
    ),
    "src.jquery": (
        "jQuery © OpenJS Foundation, MIT licence (served locally).",
        "jQuery © OpenJS Foundation, лицензия MIT (локально).",
    ),
    "src.leaflet_draw": (
        "Leaflet.draw © Jacob Toye, Jon West, Smartrak, Leaflet; MIT licence (served locally).",
        "Leaflet.draw © Jacob Toye, Jon West, Smartrak, Leaflet; лицензия MIT (локально).",
    ),
    "src.project": (
        "Gusev Planner: MIT licence. Norms are cited with their clauses; check confidence C "
        "values before relying on them.",
        "Gusev Planner: лицензия MIT. Нормы приводятся с пунктами; значения с достоверностью C "
        "проверьте, прежде чем на них опираться.",
    ),
}


_SCENARIO: dict[str, tuple[str, str]] = {
    "change.gained": ("gains", "улучшение"),
    "change.lost": ("loses", "ухудшение"),
    "change.unchanged": ("unchanged", "без изменений"),
    "change.new": ("new housing", "новое жильё"),
    "change.removed": ("removed", "удалено"),
    "fchange.added": ("new facility", "новое учреждение"),
    "fchange.removed": ("removed", "убрано"),
    "fchange.closed": ("closed", "закрыто"),
    "fchange.reopened": ("reopened", "открыто снова"),
    "fchange.moved": ("moved", "перенесено"),
    "fchange.capacity": ("capacity changed", "изменена вместимость"),
    "fchange.status": ("status changed", "изменён статус"),
    "fchange.unchanged": ("existing", "существующее"),
    "street.added": ("new path or crossing", "новый путь или переход"),
    "street.closed": ("closed street", "закрытая улица"),
    "title": ("Scenario “{scenario}”: {service}", "Сценарий «{scenario}»: {service}"),
    "subtitle": (
        "Homes whose demand served within the {limit} m walk rises or falls; "
        "{gained} gain, {lost} lose",
        "Дома, где доля потребности, обслуженной в пределах {limit} м пешком, растёт или "
        "падает; улучшение: {gained}, ухудшение: {lost}",
    ),
    "col.service": ("Service", "Услуга"),
    "col.within_walk": ("Residents within walk", "Жителей в пешей доступности"),
    "col.served_within": ("Places served within norm", "Мест обслужено в нормативе"),
    "col.served_beyond": ("Served beyond norm", "Обслужено вне норматива"),
    "col.unserved": ("Unserved places", "Необслуженных мест"),
    "col.homes_gained": ("Homes gaining", "Домов с улучшением"),
    "col.homes_lost": ("Homes losing", "Домов с ухудшением"),
    "col.district": ("District", "Район"),
    "before_after": ("{before} → {after} ({change})", "было {before}, стало {after} ({change})"),
    "modelled_note": (
        "Modelled data: streets, homes and most positions are a model, not a survey. {attribution}",
        "Модельные данные: улицы, дома и большинство положений — модель, а не съёмка. "
        "{attribution}",
    ),
}

STRINGS |= {f"scenario.{key}": value for key, value in _SCENARIO.items()}

_EXPORT: dict[str, tuple[str, str]] = {
    # The reproducibility stamp (planner.exports.stamp).
    "stamp_title": ("Reproducibility", "Воспроизводимость"),
    "stamp_tool": ("Tool", "Программа"),
    "stamp_town": ("Town", "Город"),
    "stamp_data": ("Town data", "Данные города"),
    "stamp_norms": ("Norm set", "Нормативы"),
    "stamp_pace": ("Walking pace", "Скорость ходьбы"),
    "stamp_pace_value": ("{speed} m/min", "{speed} м/мин"),
    "stamp_planned": ("Planned facilities counted", "Планируемые учреждения учтены"),
    "stamp_scenario": ("Scenario", "Сценарий"),
    "stamp_date": ("Date", "Дата"),
    "yes": ("yes", "да"),
    "no": ("no", "нет"),
    # Maps (interactive HTML and print).
    "map_title": ("{service}: walking access in {town}", "{service}: пешая доступность, {town}"),
    "map_title_all": (
        "All services: walking access in {town}",
        "Все услуги: пешая доступность, {town}",
    ),
    "provenance_line": (
        "Data: {modelled} of features modelled or illustrative, {real} real (OpenStreetMap, "
        "verified or approximate); the figures are model results, not a survey.",
        "Данные: {modelled} объектов смоделированы или условны, {real} реальны (OpenStreetMap, "
        "проверенные или приблизительные); цифры — результат модели, а не обследования.",
    ),
    "norms_line": ("Norms: {title}", "Нормативы: {title}"),
    "date_line": ("Date: {date}", "Дата: {date}"),
    "north": ("N", "С"),
    "unit_m": ("{value} m", "{value} м"),
    "unit_km": ("{value} km", "{value} км"),
    "legend_town": ("Town", "Город"),
    "legend_units": ("Homes", "Дома"),
    "legend_changes": ("{service} and streets", "{service} и улицы"),
}

_XLSX: dict[str, tuple[str, str]] = {
    "title": ("Gusev Planner: access to services", "Gusev Planner: доступность услуг"),
    "services": ("Services", "Услуги"),
    "districts": ("Districts", "Районы"),
    "gaps": ("Gap zones", "Зоны дефицита"),
    "overloaded": ("Overloaded facilities", "Перегруженные учреждения"),
    "facilities": ("Facilities", "Учреждения"),
    "required": ("Required services", "Требуемые услуги"),
    "provenance": ("Data provenance", "Происхождение данных"),
    "norms": ("Norms", "Нормативы"),
}
"""Workbook strings (sheet titles); keys ``xlsx.*``."""

_REPORT: dict[str, tuple[str, str]] = {
    "title": (
        "{town}: access to social infrastructure",
        "{town}: доступность социальной инфраструктуры",
    ),
    "subtitle": (
        "{population} residents · norms: {norms} · walking at {speed} m/min · {date}",
        "{population} жителей · нормативы: {norms} · скорость ходьбы {speed} м/мин · {date}",
    ),
    "footer": (
        "{title} · {date} · made with Gusev Planner",
        "{title} · {date} · подготовлено в Gusev Planner",
    ),
    "page": ("page {page}", "стр. {page}"),
    "headline": ("Services at a glance", "Услуги: основные показатели"),
    "top_gaps": (
        "The {count} largest gaps and what would close them",
        "{count} крупнейших зон дефицита и что их закроет",
    ),
    "no_gaps": (
        "No gap zones: every home is served within the norm.",
        "Зон дефицита нет: все дома обслуживаются в пределах норматива.",
    ),
    "service_facts": (
        "{facilities} facilities. Residents within the {limit} m walk: {walk}; within the "
        "{norm_radius} m normative radius: {radius}.",
        "Учреждений: {facilities}. Жителей в пешей доступности ({limit} м): {walk}; в "
        "нормативном радиусе {norm_radius} м: {radius}.",
    ),
    "service_places": (
        "Needed: {demand}; provided within the norm: {provision}; short: {short}.",
        "Потребность: {demand}; обеспечено в нормативе: {provision}; не хватает: {short}.",
    ),
    "by_district": ("By district", "По районам"),
    "programme_month": (
        "Counted for the month of the report's date, in the town's time zone; the command "
        "“planner programme --month YYYY-MM” counts any other month.",
        "Подсчитано за месяц даты отчёта (по времени города); команда "
        "«planner programme --month ГГГГ-ММ» считает любой другой месяц.",
    ),
    "programme_audience": ("What residents can walk to", "Что жители могут посетить пешком"),
    "programme_districts": ("By district, everyone", "По районам, все жители"),
    "programme_venues": ("Venues", "Площадки"),
    "overloaded": ("Overloaded facilities", "Перегруженные учреждения"),
    "none": ("None.", "Нет."),
    "gap_list": ("Gap zones", "Зоны дефицита"),
    "more_districts": ("and {count} more", "и ещё {count}"),
    "scenario_note": (
        "Scenario “{name}”: every figure in this report is for the town after the scenario; "
        "the next page compares it with the town as it is.",
        "Сценарий «{name}»: все цифры отчёта — для города после сценария; следующая страница "
        "сравнивает его с городом сейчас.",
    ),
    "scenario_title": ("Scenario “{name}”: before and after", "Сценарий «{name}»: до и после"),
    "scenario_intro": (
        "Each figure reads “today → with the scenario (change)”. Homes gain when the share of "
        "their demand served within the norm rises, and lose when it falls.",
        "Каждая цифра — «сейчас → со сценарием (изменение)». Дом в выигрыше, если доля его "
        "потребности, обслуженной в пределах норматива, растёт, и в проигрыше, если падает.",
    ),
    "changes_map": (
        "{service}: homes that gain and lose",
        "{service}: дома в выигрыше и проигрыше",
    ),
    "no_changes": (
        "The scenario changes no home's access to these services.",
        "Сценарий не меняет доступность этих услуг ни для одного дома.",
    ),
    "clause": (
        "Norm behind the zones and projects: {clause}",
        "Основание зон и объектов: {clause}",
    ),
    "annex": (
        "Annex: data, norms and reproducibility",
        "Приложение: данные, нормативы, воспроизводимость",
    ),
    "provenance": ("Provenance of the data", "Происхождение данных"),
    "required": (
        "Services the norms require for a town of {population}",
        "Услуги, которые нормативы требуют для города с населением {population}",
    ),
    "norms": ("Norms in force: {title}", "Действующие нормативы: {title}"),
    "stamp": ("Reproducibility", "Воспроизводимость"),
    "stamp_intro": (
        "The same tool version, norm set and town data (same hash) give the same figures.",
        "Та же версия программы, те же нормативы и те же данные города (тот же хеш) дают те "
        "же цифры.",
    ),
}
"""PDF report strings; keys ``report.*``."""

_DOWNLOADS: dict[str, tuple[str, str]] = {
    "title": ("Download this view", "Скачать этот вид"),
    "caption": (
        "The same files as `planner export`: a map to send or print, the report for the "
        "council, the data for GIS and spreadsheets. Each carries the tool version, the data's "
        "hash and the date.",
        "Те же файлы, что даёт `planner export`: карта для отправки или печати, отчёт для "
        "совета депутатов, данные для ГИС и таблиц. В каждом указаны версия программы, хеш "
        "данных и дата.",
    ),
    "format": ("File", "Файл"),
    "format.html": (
        "Interactive map (HTML, works offline)",
        "Интерактивная карта (HTML, без интернета)",
    ),
    "format.png": ("Print map (PNG, 300 dpi)", "Карта для печати (PNG, 300 dpi)"),
    "format.svg": ("Print map (SVG, vector)", "Карта для печати (SVG, вектор)"),
    "format.pdf": ("Report (PDF)", "Отчёт (PDF)"),
    "format.gpkg": ("Layers for GIS (GeoPackage)", "Слои для ГИС (GeoPackage)"),
    "format.csv": ("Tables (CSV in a ZIP)", "Таблицы (CSV в ZIP)"),
    "format.xlsx": ("Tables (Excel)", "Таблицы (Excel)"),
    "paper": ("Paper", "Формат"),
    "orientation": ("Orientation", "Ориентация"),
    "landscape": ("landscape", "альбомная"),
    "portrait": ("portrait", "книжная"),
    "prepare": ("Prepare the file", "Подготовить файл"),
    "preparing": ("Preparing: {format}…", "Готовится: {format}…"),
    "download": ("Download {name}", "Скачать {name}"),
}
"""Dashboard download area strings; keys ``dl.*``."""
"""Strings of the exports (maps, PDF report, workbook, stamp); keys ``export.*``."""

STRINGS.update({f"export.{key}": value for key, value in _EXPORT.items()})
STRINGS.update({f"xlsx.{key}": value for key, value in _XLSX.items()})
STRINGS.update({f"report.{key}": value for key, value in _REPORT.items()})
STRINGS.update({f"dl.{key}": value for key, value in _DOWNLOADS.items()})


def t(key: str, lang: Lang, /, **values: object) -> str:
    """Return the text of ``key`` in ``lang``, with ``values`` formatted in.

    Raises
    ------
    KeyError
        If ``key`` is not in ``STRINGS`` (a programming error, caught by the tests).

    Examples
    --------
    >>> t("page.map", "ru")
    'Карта'
    >>> t("warnings", "en", count=2)
    '2 data warning(s)'
    """
    text = STRINGS[key][LANGUAGES.index(lang)]
    return text.format(**values) if values else text


def map_text(lang: Lang) -> dict[str, str]:
    """Return the map's strings (the ``map.`` keys without their prefix) in ``lang``."""
    index = LANGUAGES.index(lang)
    return {key[4:]: value[index] for key, value in STRINGS.items() if key.startswith("map.")}


def as_lang(value: object) -> Lang:
    """Return ``value`` as a language code, English for anything unknown."""
    return next((lang for lang in LANGUAGES if lang == value), "en")


_PROGRAMME: dict[str, tuple[str, str]] = {
    "category.exhibition": ("exhibition", "выставка"),
    "category.workshop": ("workshop", "мастерская / студия"),
    "category.concert": ("concert", "концерт"),
    "category.screening": ("film screening", "кинопоказ"),
    "category.master_class": ("master class", "мастер-класс"),
    "category.festival": ("festival", "фестиваль"),
    "category.other": ("other", "другое"),
    "audience.children": ("children (0–17)", "дети (0–17)"),
    "audience.adults": ("adults (18–64)", "взрослые (18–64)"),
    "audience.elderly": ("older people (65+)", "старшее поколение (65+)"),
    "audience.all": ("everyone", "все жители"),
    "price.free": ("free", "бесплатно"),
    "price.paid": ("paid", "платно"),
    "price.unknown": ("price unknown", "цена неизвестна"),
    "month_name.1": ("January", "январь"),
    "month_name.2": ("February", "февраль"),
    "month_name.3": ("March", "март"),
    "month_name.4": ("April", "апрель"),
    "month_name.5": ("May", "май"),
    "month_name.6": ("June", "июнь"),
    "month_name.7": ("July", "июль"),
    "month_name.8": ("August", "август"),
    "month_name.9": ("September", "сентябрь"),
    "month_name.10": ("October", "октябрь"),
    "month_name.11": ("November", "ноябрь"),
    "month_name.12": ("December", "декабрь"),
    "title": ("Cultural programme, {month}", "Культурная программа, {month}"),
    "month": ("Month", "Месяц"),
    "within": ("within {minutes} min", "до {minutes} мин"),
    "col.audience": ("Audience", "Аудитория"),
    "col.minutes": ("Walk (min)", "Пешком (мин)"),
    "col.residents": ("Residents", "Жителей"),
    "col.with_events": ("Residents with events in reach", "Жителей с событиями в доступности"),
    "col.share_with_events": ("Share with events", "Доля с событиями"),
    "col.events_mean": ("Events per resident (mean)", "Событий на жителя (среднее)"),
    "col.seats_per_resident": ("Seats per resident", "Мест на жителя"),
    "col.desert_residents": ("Residents in cultural deserts", "Жителей в «культурной пустыне»"),
    "col.venue": ("Venue", "Площадка"),
    "col.service": ("Service", "Услуга"),
    "col.events": ("Events", "Событий"),
    "col.seats": ("Seats", "Мест"),
    "col.unknown_capacity": ("Events of unknown capacity", "Событий без данных о местах"),
    "col.residents_within": ("Residents within {minutes} min", "Жителей в пределах {minutes} мин"),
    "col.idle": ("State", "Состояние"),
    "col.district": ("District", "Район"),
    "col.events_in_reach": ("Events in reach", "Событий в доступности"),
    "xlsx.summary": ("Town", "Город"),
    "xlsx.districts": ("Districts", "Районы"),
    "xlsx.venues": ("Venues", "Площадки"),
    "idle.yes": ("idle: no events this month", "простаивает: событий нет"),
    "idle.no": ("active", "работает"),
    "idle.other": (
        "no events this month (not a cultural venue)",
        "событий нет (не учреждение культуры)",
    ),
    "seats_unknown": (
        "{seats} + {events} events of unknown size",
        "{seats} + {events} событий без данных о местах",
    ),
    "summary_heading": (
        "What residents can walk to in {month} ({pace}):",
        "Что жители могут посетить пешком, {month} ({pace}):",
    ),
    "venues_heading": ("Venues:", "Площадки:"),
    "districts_heading": (
        "By district, everyone, within {minutes} min:",
        "По районам, все жители, до {minutes} мин:",
    ),
    "no_events": (
        "This town has no events file (events.csv or events.ics): every venue counts as idle.",
        "У города нет файла событий (events.csv или events.ics): все площадки простаивают.",
    ),
    "occurrences": (
        "{count} event occurrences in {month}, {left_out} at closed or planned venues left out.",
        "Событий за месяц ({month}): {count}; на закрытых или планируемых площадках "
        "(не учтены): {left_out}.",
    ),
    "modelled_note": (
        "Modelled programme: {share} of the events are modelled or illustrative, not a published "
        "calendar.",
        "Модельная программа: {share} событий — модельные или иллюстративные, а не опубликованная "
        "афиша.",
    ),
    "class.none": ("nothing in reach", "ничего в доступности"),
    "class.range": ("{least}–{most} events", "событий: {least}–{most}"),
    "class.at_least": ("{least} or more events", "событий: {least} и больше"),
    "metric.events": ("Events this month", "Событий в месяце"),
    "metric.share": (
        "Residents with events within {minutes} min",
        "Жителей с событиями до {minutes} мин",
    ),
    "metric.deserts": (
        "In cultural deserts ({minutes} min)",
        "В «культурной пустыне» ({minutes} мин)",
    ),
    "metric.idle": ("Idle cultural venues", "Простаивающих площадок культуры"),
    "overview_title": (
        "Cultural programme within walking reach",
        "Культурная программа в пешей доступности",
    ),
    "venues_title": ("Venues this month", "Площадки в этом месяце"),
    "districts_title": ("By district: {audience}", "По районам: {audience}"),
    "download": (
        "Download the month's tables (XLSX)",
        "Скачать таблицы месяца (XLSX)",
    ),
    "districts_overview": (
        "By district: everyone within {minutes} min",
        "По районам: все жители, до {minutes} мин",
    ),
    "desert_layer": (
        "Cultural deserts ({audience}, {minutes} min)",
        "«Культурные пустыни» ({audience}, {minutes} мин)",
    ),
    "events_layer": (
        "Events in reach ({audience}, {minutes} min)",
        "События в доступности ({audience}, {minutes} мин)",
    ),
    "venues_layer": ("Venues and their events", "Площадки и их события"),
}

STRINGS |= {f"programme.{key}": value for key, value in _PROGRAMME.items()}

_PROPOSALS: dict[str, tuple[str, str]] = {
    "status.new": ("new", "новое"),
    "status.accepted": ("accepted", "принято"),
    "status.rejected": ("rejected", "отклонено"),
    "status.done": ("done", "выполнено"),
    "category.event": ("event or programme", "мероприятие или программа"),
    "col.id": ("Id", "Номер"),
    "col.category": ("Asked for", "Что просят"),
    "col.text": ("Proposal", "Предложение"),
    "col.submitted": ("Date", "Дата"),
    "col.votes": ("Votes", "Голоса"),
    "col.status": ("Status", "Статус"),
    "col.district": ("District", "Район"),
    "col.proposals": ("Proposals", "Предложений"),
    "col.scenario": ("Scenario", "Сценарий"),
    "col.contact": ("Contact", "Контакт"),
    "outside_districts": ("outside the districts", "вне районов"),
    "imported": (
        "Imported {added} new proposal(s) from {file}; {updated} updated, {unchanged} already "
        "there.",
        "Импортировано новых предложений из {file}: {added}; обновлено: {updated}; уже были: "
        "{unchanged}.",
    ),
    "none": ("No proposals.", "Предложений нет."),
    "layer": ("Residents' proposals", "Предложения жителей"),
    "privacy": (
        "Contact details are kept for staff to answer residents and are never shown in the tables "
        "or exported unless asked for.",
        "Контакты хранятся, чтобы сотрудники могли ответить жителям; в таблицах они не "
        "показываются и без явного запроса не выгружаются.",
    ),
    "new_title": ("New proposal", "Новое предложение"),
    "click_hint": (
        "Click the map where the proposal is about, then fill in the form.",
        "Щёлкните по карте там, к чему относится предложение, и заполните форму.",
    ),
    "at_point": ("Point: {lon}, {lat}", "Точка: {lon}, {lat}"),
    "outside": (
        "That point is outside the town: click inside its boundary.",
        "Точка вне города: щёлкните внутри его границы.",
    ),
    "contact_help": (
        "Optional; personal data, never exported unless asked for.",
        "Необязательно; это персональные данные, без явного запроса не выгружаются.",
    ),
    "add": ("Add proposal", "Добавить предложение"),
    "added": ("Proposal {id} added.", "Предложение {id} добавлено."),
    "list_title": ("Proposals", "Предложения"),
    "choose": ("Proposal", "Предложение"),
    "set_status": ("Set status", "Изменить статус"),
    "by_district_title": ("By district and category", "По районам и категориям"),
    "scenario_title": ("Turn a proposal into a scenario", "Превратить предложение в сценарий"),
    "no_service_proposals": (
        "No proposal asks for a service with a walking norm.",
        "Нет предложений об услугах с нормативом пешей доступности.",
    ),
    "capacity": (
        "Capacity (0: smallest standard project)",
        "Вместимость (0 — наименьший типовой проект)",
    ),
    "capacity_help": (
        "In the service's unit; 0 takes the smallest standard project size of the norm.",
        "В единицах услуги; 0 — наименьший типовой проект по нормативу.",
    ),
    "make_scenario": ("Make the scenario and compare", "Создать сценарий и сравнить"),
    "comparing": ("Comparing with today…", "Сравнение с текущим положением…"),
    "scenario_saved": (
        "Scenario “{scenario}” made from proposal {id} and saved; what it would change:",
        "Сценарий «{scenario}» создан из предложения {id} и сохранён; что он изменит:",
    ),
}

STRINGS |= {f"proposal.{key}": value for key, value in _PROPOSALS.items()}

_STREET_KINDS: dict[str, tuple[str, str]] = {
    "motorway": ("motorway", "автомагистраль"),
    "trunk": ("trunk road", "магистраль"),
    "primary": ("main road", "главная улица"),
    "secondary": ("secondary road", "улица районного значения"),
    "tertiary": ("local through road", "улица местного значения"),
    "residential": ("residential street", "жилая улица"),
    "unclassified": ("minor road", "второстепенная дорога"),
    "living_street": ("living street", "жилая зона"),
    "service": ("service road", "проезд"),
    "pedestrian": ("pedestrian street", "пешеходная улица"),
    "footway": ("footway", "пешеходная дорожка"),
    "path": ("path", "тропа"),
    "cycleway": ("cycle path", "велодорожка"),
    "steps": ("steps", "лестница"),
    "crossing": ("crossing", "переход"),
    "bridge": ("bridge", "мост"),
    "footbridge": ("footbridge", "пешеходный мост"),
    "footway_bridge": ("footbridge", "пешеходный мост"),
}
"""Street kinds (OSM highway values) in words; an unknown kind reads as itself."""

STRINGS |= {f"street_kind.{key}": value for key, value in _STREET_KINDS.items()}

STRINGS |= {
    "page.programme": ("Programme", "Афиша"),
    "page.proposals": ("Proposals", "Предложения"),
}

_SCENARIO_PAGE: dict[str, tuple[str, str]] = {
    "intro": (
        "Edit the town and compare it with today: click the map to choose a point, draw housing "
        "or a footpath with the tools at the map's top left, let the optimiser propose sites. "
        "Every edit is checked against the town before it is taken.",
        "Измените город и сравните с текущим положением: щёлкните по карте, чтобы выбрать "
        "точку, нарисуйте жильё или пешеходный путь инструментами слева вверху на карте, "
        "попросите оптимизатор предложить участки. Каждая правка проверяется по данным города.",
    ),
    "untitled": ("New scenario", "Новый сценарий"),
    "refused": (
        "The edit was not made; the scenario stays as it was:",
        "Правка не внесена, сценарий остался прежним:",
    ),
    "current": (
        "Scenario **{name}**: {edits} edit(s), {saved}.",
        "Сценарий **{name}**: правок — {edits}, {saved}.",
    ),
    "saved_as": ("saved as “{name}”", "сохранён как «{name}»"),
    "unsaved": ("not saved", "не сохранён"),
    "store_title": (
        "Saved scenarios: load, save, duplicate, delete",
        "Сохранённые сценарии: открыть, сохранить, копировать, удалить",
    ),
    "store_where": ("Scenario database: {path}", "База сценариев: {path}"),
    "saved": (
        "Saved scenarios and the town's scenario files",
        "Сохранённые сценарии и файлы сценариев города",
    ),
    "choose": ("Choose…", "Выберите…"),
    "load": ("Load", "Открыть"),
    "delete": ("Delete", "Удалить"),
    "new": ("New", "Новый"),
    "copy_name": ("Name of the copy", "Название копии"),
    "duplicate": ("Duplicate", "Копировать"),
    "name_taken": (
        "A scenario named “{name}” is already saved: choose another name.",
        "Сценарий «{name}» уже сохранён: выберите другое название.",
    ),
    "duplicated": ("Saved a copy as “{name}”.", "Копия сохранена как «{name}»."),
    "deleted": ("Deleted “{name}”.", "Сценарий «{name}» удалён."),
    "save_name": ("Save as", "Сохранить под названием"),
    "save": ("Save", "Сохранить"),
    "file_choice": ("{file} (town folder)", "{file} (папка города)"),
    "loaded": ("Loaded “{name}”.", "Открыт сценарий «{name}»."),
    "saved_ok": ("Saved “{name}”.", "Сценарий «{name}» сохранён."),
    "comparing": ("Comparing with today…", "Сравнение с текущим положением…"),
    "map_hint": (
        "Blue homes gain places within the walking norm, red ones lose them. Click to choose a "
        "point; the polygon and line tools draw housing and footpaths.",
        "Синие дома получают места в пределах пешей доступности, красные — теряют. Щёлкните, "
        "чтобы выбрать точку; инструменты «многоугольник» и «линия» рисуют жильё и пути.",
    ),
    "point_hint": (
        "Point (filled by a click on the map, or type it)",
        "Точка (заполняется щелчком по карте или вручную)",
    ),
    "lon": ("Longitude", "Долгота"),
    "lat": ("Latitude", "Широта"),
    "tab.facility": ("Facility", "Учреждение"),
    "tab.housing": ("Housing", "Жильё"),
    "tab.path": ("Footpath", "Пешеходный путь"),
    "service": ("Service", "Услуга"),
    "capacity": ("Capacity", "Вместимость"),
    "capacity_help": (
        "In the service's unit; standard project sizes: {sizes}. 0: unknown.",
        "В единицах услуги; типовые проекты: {sizes}. 0 — неизвестна.",
    ),
    "facility_name": ("Name (optional)", "Название (необязательно)"),
    "add_facility": ("Add a facility at the point", "Добавить учреждение в точке"),
    "added_facility": ("Added facility {id}.", "Добавлено учреждение {id}."),
    "change_facility": (
        "Move, close or remove a facility",
        "Перенести, закрыть или убрать учреждение",
    ),
    "facility": ("Facility", "Учреждение"),
    "move_here": ("Move here", "Перенести сюда"),
    "moved": ("Moved {id}.", "Учреждение {id} перенесено."),
    "close": ("Close", "Закрыть"),
    "closed": ("Closed {id}.", "Учреждение {id} закрыто."),
    "remove": ("Remove", "Убрать"),
    "removed": ("Removed {id}.", "Учреждение {id} убрано."),
    "housing_outline": (
        "New housing: the outline drawn on the map ({points} corners).",
        "Новое жильё: контур, нарисованный на карте (углов: {points}).",
    ),
    "housing_point": (
        "New housing: a small block at the point (draw an outline for a larger area).",
        "Новое жильё: небольшой квартал в точке (для большей площади нарисуйте контур).",
    ),
    "housing_hint": (
        "Draw the outline with the polygon tool, or choose a point.",
        "Нарисуйте контур инструментом «многоугольник» или выберите точку.",
    ),
    "housing_by": ("Residents given as", "Число жителей задаётся"),
    "housing_by.flats": ("flats × household size", "квартирами × размер домохозяйства"),
    "housing_by.residents": ("residents", "числом жителей"),
    "flats": ("Flats", "Квартир"),
    "household_size": ("People per flat", "Человек на квартиру"),
    "household_help": (
        "Default 2.6: the average private household in Russia at the 2010 census "
        "(docs/scenarios.md).",
        "По умолчанию 2,6 — средний размер частного домохозяйства в России по переписи 2010 г. "
        "(docs/scenarios.md).",
    ),
    "residents": ("Residents", "Жителей"),
    "add_housing": ("Add housing", "Добавить жильё"),
    "added_housing": ("Added housing {id}.", "Добавлено жильё {id}."),
    "path_hint": (
        "Draw the path with the line tool; its ends join the nearest streets within 30 m.",
        "Нарисуйте путь инструментом «линия»; его концы присоединяются к улицам в пределах 30 м.",
    ),
    "path_drawn": ("A line of {points} points is drawn.", "Нарисована линия из {points} точек."),
    "path_kind": ("Kind", "Вид"),
    "path_kind.footway": ("footpath", "пешеходная дорожка"),
    "path_kind.footbridge": ("footbridge", "пешеходный мост"),
    "path_kind.crossing": ("crossing", "переход"),
    "add_path": ("Add the path", "Добавить путь"),
    "added_path": ("Added path {id}.", "Добавлен путь {id}."),
    "figures_title": ("What changes: {service}", "Что меняется: {service}"),
    "homes_gain_lose": ("Homes gaining / losing", "Домов с улучшением / ухудшением"),
    "by_district": ("By district", "По районам"),
    "edits_title": ("Edits", "Правки"),
    "no_edits": (
        "No edits yet: the scenario is the town as it is.",
        "Правок пока нет: сценарий совпадает с текущим положением.",
    ),
    "edit": ("Edit", "Правка"),
    "drop_edit": ("Undo this edit", "Отменить правку"),
    "dropped_edit": ("Edit {n} undone.", "Правка {n} отменена."),
    "opt_title": ("Propose sites: {service}", "Предложить участки: {service}"),
    "opt_caption": (
        "New facilities of standard project sizes that serve the most demand within the walking "
        "norm, keeping the facilities of this scenario; candidate sites along the streets of "
        "residential districts. Exact (mixed-integer programme, HiGHS) beside the greedy answer.",
        "Новые учреждения типовых размеров, обслуживающие больше всего потребности в пределах "
        "пешей доступности, при сохранении учреждений сценария; участки-кандидаты вдоль улиц "
        "жилых районов. Точное решение (смешанное целочисленное программирование, HiGHS) "
        "рядом с жадным.",
    ),
    "opt_not_for": (
        "{service} has no walking norm, demand rule or standard sizes to site by.",
        "Для услуги «{service}» нет норматива пешей доступности, правила потребности или "
        "типовых размеров.",
    ),
    "opt_k": ("New facilities", "Новых учреждений"),
    "opt_spacing": ("Candidate spacing, m", "Шаг кандидатов, м"),
    "opt_run": ("Propose sites", "Предложить участки"),
    "opt_running": ("Solving…", "Решение…"),
    "opt_status.optimal": ("proven optimal", "оптимальность доказана"),
    "opt_status.time_limit": ("time limit reached", "достигнут предел времени"),
    "opt_status.heuristic": ("heuristic", "эвристика"),
    "opt_result": (
        "Served within the norm with the new sites: **{served}** {unit} (+{gain}); {status}, "
        "gap {gap} %, {seconds} s; greedy answer: {greedy}. Candidates: {used} of {given} after "
        "exact reductions.",
        "Обслужено в нормативе с новыми участками: **{served}** {unit} (+{gain}); {status}, "
        "разрыв {gap} %, {seconds} с; жадное решение: {greedy}. Кандидатов: {used} из {given} "
        "после точных сокращений.",
    ),
    "opt_col.site": ("Site", "Участок"),
    "opt_col.size": ("Size", "Размер"),
    "opt_col.load": ("Places served", "Обслужено мест"),
    "opt_col.homes": ("Homes", "Домов"),
    "opt_add": ("Add these sites to the scenario", "Добавить эти участки в сценарий"),
    "opt_added": ("Added {n} proposed site(s).", "Добавлено предложенных участков: {n}."),
    "col.n": ("No.", "№ п/п"),
    "col.edit": ("Edit", "Правка"),
    "col.id": ("Id", "Код"),
    "col.details": ("Details", "Подробности"),
    "op.add_facility": ("add a facility", "новое учреждение"),
    "op.move_facility": ("move a facility", "перенос учреждения"),
    "op.remove_facility": ("remove a facility", "учреждение убрано"),
    "op.close_facility": ("close a facility", "учреждение закрыто"),
    "op.change_facility": ("change a facility", "изменение учреждения"),
    "op.add_housing": ("add housing", "новое жильё"),
    "op.add_street": ("add a path", "новый путь"),
    "op.close_street": ("close a street", "закрытие улицы"),
    "detail.facility": (
        "{service}, {capacity}; at {lon}, {lat}",
        "{service}, {capacity}; в точке {lon}, {lat}",
    ),
    "detail.move": ("to {lon}, {lat}", "в точку {lon}, {lat}"),
    "detail.capacity": ("capacity {capacity}", "вместимость {capacity}"),
    "detail.flats": ("{flats} flats × {size}", "{flats} кв. × {size}"),
    "detail.residents": ("{residents} residents", "жителей: {residents}"),
    "detail.street": ("{kind}, {points} points", "{kind}, точек: {points}"),
    "status.existing": ("existing", "действующее"),
    "status.planned": ("planned", "планируемое"),
    "status.closed": ("closed", "закрытое"),
}

STRINGS |= {f"scen.{key}": value for key, value in _SCENARIO_PAGE.items()}

STRINGS |= {
    "page.scenarios": ("Scenarios", "Сценарии"),
    "side.town_as": ("Town as", "Город"),
    "side.today": ("today", "сейчас"),
    "side.town_as_help": (
        "Show the Overview, Map, Gaps and Facilities of the town as a saved scenario would "
        "make it.",
        "Показать обзор, карту, дефициты и учреждения города таким, каким его сделает "
        "сохранённый сценарий.",
    ),
    "side.town_as_no_store": (
        "Saved scenarios cannot be read: {error}",
        "Сохранённые сценарии не читаются: {error}",
    ),
    "side.town_as_failed": (
        "Scenario “{name}” does not fit the town, so today is shown: {error}",
        "Сценарий «{name}» не подходит к городу, показано текущее положение: {error}",
    ),
    "app.showing_scenario": (
        "Showing the town as scenario “{name}” would make it (choose “today” in the sidebar to go "
        "back).",
        "Город показан таким, каким его сделает сценарий «{name}» (вернуться — «сейчас» в боковой "
        "панели).",
    ),
    "scenario.map.homes": ("Homes: {service}", "Дома: {service}"),
    "scenario.map.streets": ("New and closed streets", "Новые и закрытые улицы"),
    "scenario.map.pending": ("The chosen point", "Выбранная точка"),
    "scenario.map.change": ("Change", "Изменение"),
    "scenario.map.capacity": ("Capacity", "Вместимость"),
    "scenario.map.load": ("Places used", "Занято мест"),
    "scenario.draw.cancel_title": ("Cancel drawing", "Отменить рисование"),
    "scenario.draw.cancel": ("Cancel", "Отмена"),
    "scenario.draw.finish_title": ("Finish drawing", "Закончить рисование"),
    "scenario.draw.finish": ("Finish", "Готово"),
    "scenario.draw.undo_title": ("Delete the last point drawn", "Удалить последнюю точку"),
    "scenario.draw.undo": ("Delete last point", "Удалить точку"),
    "scenario.draw.polyline": ("Draw a footpath", "Нарисовать пешеходный путь"),
    "scenario.draw.polygon": ("Draw a housing area", "Нарисовать участок жилья"),
    "scenario.draw.polygon_start": (
        "Click to start the outline.",
        "Щёлкните, чтобы начать контур.",
    ),
    "scenario.draw.polygon_cont": ("Click to add a corner.", "Щёлкните, чтобы добавить угол."),
    "scenario.draw.polygon_end": (
        "Click the first point to close the outline.",
        "Щёлкните по первой точке, чтобы замкнуть контур.",
    ),
    "scenario.draw.polyline_start": ("Click to start the path.", "Щёлкните, чтобы начать путь."),
    "scenario.draw.polyline_cont": (
        "Click to continue the path.",
        "Щёлкните, чтобы продолжить путь.",
    ),
    "scenario.draw.polyline_end": (
        "Click the last point to finish the path.",
        "Щёлкните по последней точке, чтобы закончить путь.",
    ),
    "scenario.draw.cross_error": (
        "The outline must not cross itself.",
        "Контур не должен пересекать сам себя.",
    ),
}
