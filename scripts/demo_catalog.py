#!/usr/bin/env python3
"""Writes the demo hall's catalog (crates/server/demo/catalog.json) in the
govhall interchange format: 46 items of 西安市长安区政务服务中心's stationed
departments, 12 of them with scenarios, and three 一件事 bundles.

The data is written here in compact tables with shared defaults so that it
stays reviewable; run `python3 scripts/demo_catalog.py` after editing and
commit both files. The server validates the result on every seeding.
"""

import json
import pathlib

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(org):
    """11 (机关) + 610116 (长安区) + organisation code + GB 32100 check character."""
    first17 = f"11610116{org}"
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return first17 + ALPHABET[(31 - total % 31) % 31]


# Same order and organisation codes as DEPARTMENTS in crates/server/src/demo.rs.
DEPTS = [
    ("西安市长安区市场监督管理局", "MB2957101", "029-85291201"),
    ("西安市长安区人力资源和社会保障局", "MB2957102", "029-85291202"),
    ("西安市长安区医疗保障局", "MB2957103", "029-85291203"),
    ("西安市长安区民政局", "MB2957104", "029-85291204"),
    ("西安市长安区卫生健康局", "MB2957105", "029-85291205"),
    ("西安市长安区住房和城乡建设局", "MB2957106", "029-85291206"),
    ("西安市长安区交通运输局", "MB2957107", "029-85291207"),
    ("国家税务总局西安市长安区税务局", "MB2957108", "12366"),
    ("西安住房公积金管理中心长安区管理部", "MB2957109", "12329"),
    ("西安市公安局长安分局", "MB2957110", "029-85291210"),
    ("西安市长安区行政审批服务局", "MB2957111", "029-85291211"),
]
MARKET, HR, MEDICAL, CIVIL, HEALTH, HOUSING, TRANSPORT, TAX, FUND, POLICE, APPROVAL = range(11)

ADDR = "西安市长安区政务服务中心（西长安街与航天大道交会处）一楼综合受理区"
TIME = "周一至周五 9:00—17:00（法定节假日除外），中午不休息"


def mat(mid, name, **kw):
    m = {
        "id": mid,
        "name": name,
        "material_type": "原件",
        "form": "纸质",
        "copies": 1,
        "source": "申请人自备",
        "necessity": "必要",
        "always": True,
    }
    m.update(kw)
    return m


# Documents several items ask for, with the identity a 一件事 checklist deduplicates by.
def id_card(mid="sfz", **kw):
    return mat(mid, "申请人居民身份证", identity="居民身份证", elicence_type="居民身份证",
               exempt_way="电子证照", material_type="原件", source="政府部门核发",
               accept_standard="在有效期内，人证一致", check_way="验原件", **kw)


def licence(mid="yyzz", **kw):
    return mat(mid, "营业执照", identity="营业执照", elicence_type="营业执照", exempt_way="电子证照",
               source="政府部门核发", accept_standard="登记状态为存续", check_way="验原件", **kw)


def hukou(mid="hkb", **kw):
    return mat(mid, "居民户口簿", identity="居民户口簿", elicence_type="居民户口簿", source="政府部门核发",
               check_way="验原件", **kw)


def proxy(mid="wts", **kw):
    kw.setdefault("always", False)
    return mat(mid, "授权委托书及受托人身份证", identity="授权委托书", accept_standard="委托事项、期限明确，委托人签字",
               applies_to="委托他人办理的", **kw)


def premises(mid="cs", **kw):
    return mat(mid, "经营场所使用证明（产权证明或租赁合同）", identity="经营场所使用证明", material_type="复印件",
               accept_standard="地址与申请一致，租赁合同在有效期内", check_way="验原件收复印件", **kw)


def form(mid, name, **kw):
    kw.setdefault("fields", [{"name": "申请人", "required": True}, {"name": "联系电话", "required": True},
                             {"name": "地址", "required": False}])
    return mat(mid, name, accept_standard="申请人签字（盖章），内容填写完整", fill_notes="用黑色签字笔填写，不得涂改", **kw)


SEQ = {}


def item(dept, name, task_type, by_law, legal, promised, materials, *, kind="新设", handling=None,
         project="承诺件", unit="工作日", scene=1, result=("其他", None), charge=None, faqs=(), keywords=(),
         serve=("自然人",), questions=(), rules=(), steps=None, accept=None, special=(), online=3):
    dname, org, tel = DEPTS[dept]
    seq = SEQ.setdefault(dept, [0])
    seq[0] += 1
    type_code = {"行政许可": "01", "行政确认": "07", "行政给付": "05", "行政裁决": "09", "行政奖励": "08",
                 "行政备案": "11", "其他行政权力": "10", "公共服务": "20"}[task_type]
    catalog_code = f"{type_code}{dept + 1:02d}{seq[0]:03d}00000"
    code = credit_code(org)
    task_code = f"{code}4{catalog_code}"
    handling = handling or [(f"{task_code}01", name, kind)]
    if steps is None:
        steps = [
            {"name": "受理", "role": "综合受理窗口", "limit_days": 0 if project == "即办件" else 1, "counted": True},
            {"name": "审查", "role": f"{dname}审批人员", "counted": True},
            {"name": "决定", "role": f"{dname}负责人", "counted": True},
            {"name": "送达", "role": "出件窗口", "counted": True},
        ]
        if project == "即办件":
            steps = [steps[0], {"name": "办结", "role": "综合受理窗口", "limit_days": 0, "counted": True}]
    doc = {
        "task_version": 1,
        "task_name": name,
        "catalog_code": catalog_code,
        "task_code": task_code,
        "task_type": task_type,
        "task_state": "在用",
        "power_source": "法定本级行使",
        "use_level": "县级",
        "dept_name": dname,
        "dept_code": code,
        "dept_type": "法定机关",
        "by_law": by_law,
        "accept_condition": accept or f"申请人符合{by_law.split('》')[0]}》规定的条件，申请材料齐全、符合法定形式。",
        "serve_objects": list(serve),
        "project_type": project,
        "anticipate_day": legal,
        "anticipate_type": unit,
        "promise_day": promised,
        "promise_type": unit,
        "special_procedures": list(special),
        "limit_scene_num": scene,
        "limit_scene_explain": "材料齐全的，只需到现场一次" if scene == 1 else None,
        "handle_flow": "→".join(s["name"] for s in steps),
        "steps": steps,
        "handle_forms": ["窗口办理", "网上办理"],
        "is_charge": charge is not None,
        "fees": charge or [],
        "link_way": f"{dname}：{tel}；长安区政务服务中心：029-85291000",
        "supervise_way": "12345 政务服务便民热线；长安区政务服务中心效能投诉：029-85291099",
        "transact_addr": ADDR,
        "transact_time": TIME,
        "is_entry_center": True,
        "tongban_range": "全市",
        "result_type": result[0],
        "result_name": result[1],
        "is_appoint": True,
        "is_online_pay": charge is not None,
        "is_express": project != "即办件",
        "is_online": True,
        "online_depth": online,
        "themes": ["法人"] if "企业法人" in serve and "自然人" not in serve else ["个人"],
        "keywords": list(keywords),
        "faqs": [{"question": q, "answer": a} for q, a in faqs],
        "handling_items": [{"code": c, "name": n, "kind": k} for c, n, k in handling],
        "materials": materials,
        "questions": list(questions),
        "rules": list(rules),
    }
    return doc


def q(qid, text, kind, options=(), show_if=None):
    out = {"id": qid, "text": text, "kind": kind,
           "options": [{"value": v, "label": l} for v, l in options]}
    if show_if:
        out["show_if"] = show_if
    return out


def chose(qid, v):
    return {"chose": {"question": qid, "value": v}}


def yes(qid, v=True):
    return {"is": {"question": qid, "value": v}}


def rule(rid, when, *then):
    return {"id": rid, "when": when, "then": list(then)}


def select(code):
    return {"select_handling_item": {"code": code}}


def need(mid, necessity="必要", copies=1):
    return {"require_material": {"material": mid, "necessity": necessity, "copies": copies}}


def drop(mid):
    return {"exclude_material": {"material": mid}}


def cond(text):
    return {"set_condition": {"text": text}}


def limit(days):
    return {"set_time_limit": {"days": days}}


def fee(name, fen):
    return {"add_fee": {"name": name, "fen": fen}}


def stop(reason):
    return {"terminate": {"reason": reason}}


def hi(task_code_holder, n):
    return f"{task_code_holder}{n:02d}"


items = []


def add(doc):
    items.append(doc)
    return doc


def scenario_item(dept, name, task_type, by_law, legal, promised, materials, handling_kinds, questions_fn, **kw):
    """An item whose handling items and rules refer to its own task code."""
    doc = item(dept, name, task_type, by_law, legal, promised, materials, **kw)
    tc = doc["task_code"]
    doc["handling_items"] = [{"code": f"{tc}{i + 1:02d}", "name": n, "kind": k}
                             for i, (n, k) in enumerate(handling_kinds)]
    codes = [h["code"] for h in doc["handling_items"]]
    doc["questions"], doc["rules"] = questions_fn(codes)
    return add(doc)


# ---------------------------------------------------------------- 市场监管
def getihu(codes):
    new, change, cancel = codes
    return [
        q("kind", "您要办理哪项业务？", "single", [("new", "设立登记（开办个体户）"), ("change", "变更登记"), ("cancel", "注销登记")]),
        q("family", "由个人经营还是家庭经营？", "single", [("person", "个人经营"), ("family", "家庭经营")], chose("kind", "new")),
        q("named", "是否使用字号名称？", "yes_no", show_if=chose("kind", "new")),
        q("licensed", "经营范围是否含许可项目（如餐饮、食品销售）？", "yes_no", show_if=chose("kind", "new")),
        q("rented", "经营场所是否为租赁？", "yes_no", show_if={"any": [chose("kind", "new"), chose("kind", "change")]}),
        q("agent", "是否委托他人代办？", "yes_no"),
    ], [
        rule("r-new", chose("kind", "new"), select(new), need("sqs"), need("cs")),
        rule("r-family", {"all": [chose("kind", "new"), chose("family", "family")]}, need("jtcy"), need("hkb")),
        rule("r-licensed", {"all": [chose("kind", "new"), yes("licensed")]},
             cond("经营范围含许可项目的，领取营业执照后须取得相应许可方可开展经营（可同时申请“开办餐饮店”一件事）")),
        rule("r-named", yes("named"), cond("使用字号名称的须自主申报名称，名称不得与同一登记机关已登记的同行业名称相同")),
        rule("r-rent", yes("rented"), cond("租赁场所须提供在有效期内的租赁合同，出租方为产权人或经产权人同意转租")),
        rule("r-change", chose("kind", "change"), select(change), need("bgs"), need("yyzz")),
        rule("r-cancel", chose("kind", "cancel"), select(cancel), need("zxs"), need("yyzz"), drop("cs"),
             cond("存在未结清税款或被列入经营异常名录的，须先行处理")),
        rule("r-agent", yes("agent"), need("wts")),
    ]


getihu_doc = scenario_item(
    MARKET, "个体工商户登记", "行政许可",
    "《市场主体登记管理条例》（国务院令第746号）第三条、第二十一条；《促进个体工商户发展条例》（国务院令第755号）第八条",
    3, 1,
    [id_card(), form("sqs", "个体工商户登记（备案）申请书", always=False),
     premises(always=False), mat("jtcy", "家庭成员关系证明", always=False, applies_to="家庭经营的"),
     hukou(always=False), form("bgs", "个体工商户变更登记申请书", always=False),
     form("zxs", "个体工商户注销登记申请书", always=False), licence(always=False), proxy()],
    [("个体工商户设立登记", "新设"), ("个体工商户变更登记", "变更"), ("个体工商户注销登记", "注销")],
    getihu, result=("证照", "营业执照"), project="承诺件", scene=0, online=4,
    keywords=["营业执照", "个体户", "开店", "开小店", "个体执照", "门店"],
    faqs=[("个体户营业执照多久能拿到？", "材料齐全、符合法定形式的当场登记；网上申请的一般 1 个工作日内办结。"),
          ("办个体户营业执照要收费吗？", "不收费。")],
    accept="经营者为具有经营能力的自然人或家庭；经营场所合法；名称（如有）不违反规定。")

GETIHU = getihu_doc["task_code"]


def food(codes):
    new, change, renew, cancel = codes
    return [
        q("kind", "您要办理哪项业务？", "single",
          [("new", "新办"), ("change", "变更"), ("renew", "延续"), ("cancel", "注销")]),
        q("prepacked", "是否仅销售预包装食品？", "yes_no", show_if=chose("kind", "new")),
        q("items", "经营项目（可多选）", "multi",
          [("hot", "热食类食品制售"), ("cold", "冷食类食品制售"), ("raw", "生食类食品制售"), ("drink", "自制饮品制售")],
          {"all": [chose("kind", "new"), yes("prepacked", False)]}),
        q("online", "是否通过网络经营？", "yes_no", show_if={"all": [chose("kind", "new"), yes("prepacked", False)]}),
        q("change_what", "变更的是什么？", "single", [("licensed", "许可事项（经营项目、场所布局等）"), ("registered", "登记事项（名称、法定代表人等）")], chose("kind", "change")),
        q("agent", "是否委托他人代办？", "yes_no"),
    ], [
        rule("r-prepacked", {"all": [chose("kind", "new"), yes("prepacked")]},
             stop("仅销售预包装食品的，无需办理食品经营许可，请办理“仅销售预包装食品备案”（《食品经营许可和备案管理办法》第二条）")),
        rule("r-new", chose("kind", "new"), select(new), need("sqs"), need("pmt"), need("zd", "容缺")),
        rule("r-hot", chose("items", "hot"), need("sb", copies=1), cond("热食类制售须具备与经营规模相适应的加工操作场所和油烟净化设施")),
        rule("r-cold", {"any": [chose("items", "cold"), chose("items", "raw")]},
             cond("冷食、生食类制售须设专间，配备专用工具、冷藏设施和空气消毒设施"), limit(10)),
        rule("r-online", yes("online"), need("wl", "非必要"), cond("网络经营的，须在主页面显著位置公示许可信息")),
        rule("r-change", chose("kind", "change"), select(change), need("bgsq")),
        rule("r-change-licensed", {"all": [chose("kind", "change"), chose("change_what", "licensed")]}, need("pmt"),
             cond("许可事项变更可能需要现场核查")),
        rule("r-renew", chose("kind", "renew"), select(renew), need("yxsq"),
             cond("应在许可证有效期届满 30 个工作日前提出延续申请")),
        rule("r-cancel", chose("kind", "cancel"), select(cancel), need("zxsq"), drop("yyzz"), limit(1)),
        rule("r-agent", yes("agent"), need("wts")),
    ]


food_doc = scenario_item(
    MARKET, "食品经营许可", "行政许可",
    "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）第二条、第十五条",
    10, 5,
    [licence(), id_card("fr", ), form("sqs", "食品经营许可申请书", always=False),
     mat("pmt", "经营场所平面图和设备布局、工艺流程图", always=False, material_type="原件",
         accept_standard="标明主要设备设施位置和尺寸"),
     mat("zd", "食品安全自查、从业人员健康管理等食品安全管理制度", always=False),
     mat("sb", "主要设备设施清单", always=False),
     mat("wl", "网络经营的网址或平台店铺链接说明", always=False, form="电子"),
     form("bgsq", "食品经营许可变更申请书", always=False), form("yxsq", "食品经营许可延续申请书", always=False),
     form("zxsq", "食品经营许可注销申请书", always=False), proxy()],
    [("食品经营许可新办", "新设"), ("食品经营许可变更", "变更"), ("食品经营许可延续", "延续"), ("食品经营许可注销", "注销")],
    food, result=("证照", "食品经营许可证"), serve=("自然人", "企业法人", "非法人企业"),
    keywords=["开饭店", "餐饮", "饭馆", "小吃店", "奶茶店", "食品许可证", "餐饮许可"],
    faqs=[("开奶茶店需要办食品经营许可吗？", "自制饮品制售属于食品经营许可范围，需要办理。"),
          ("只卖包装好的零食要办许可证吗？", "仅销售预包装食品的只需备案，不需要许可。")],
    special=[{"kind": "现场勘查", "limit_days": 5, "explain": "需要现场核查的，核查时间不计入审批时限"}])
FOOD = food_doc["task_code"]

add(item(MARKET, "仅销售预包装食品备案", "行政备案",
         "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）第四十三条",
         1, 0, [licence(), id_card(), form("bab", "仅销售预包装食品备案信息采集表")], project="即办件", scene=1,
         keywords=["预包装", "便利店", "小超市", "零食店"], serve=("自然人", "企业法人", "非法人企业")))


def company(codes):
    (new,) = codes
    return [
        q("holders", "股东（出资人）类型", "multi", [("person", "自然人股东"), ("org", "法人或其他组织股东")]),
        q("board", "是否设董事会？", "yes_no"),
        q("agent", "是否委托他人代办？", "yes_no"),
    ], [
        rule("r-any", {"all": []}, select(new)),
        rule("r-person", chose("holders", "person"), need("gdsfz")),
        rule("r-org", chose("holders", "org"), need("gdzz"), cond("法人股东须提供加盖公章的主体资格证明")),
        rule("r-board", yes("board"), need("dsh")),
        rule("r-agent", yes("agent"), need("wts")),
    ]


company_doc = scenario_item(
    MARKET, "企业设立登记（有限责任公司）", "行政许可",
    "《中华人民共和国公司法》第二十九条；《市场主体登记管理条例》（国务院令第746号）第三条、第十九条",
    3, 1,
    [form("sqs", "公司登记（备案）申请书"), mat("zc", "公司章程", accept_standard="全体股东签字（盖章）"),
     mat("gdsfz", "自然人股东身份证件复印件", material_type="复印件", always=False, identity="股东身份证件"),
     mat("gdzz", "法人股东主体资格证明", material_type="复印件", always=False),
     mat("rzwj", "法定代表人、董事、监事、经理的任职文件"), mat("dsh", "董事会成员名单及任职文件", always=False),
     premises(), id_card("fr"), proxy()],
    [("有限责任公司设立登记", "新设")], company, result=("证照", "营业执照"), serve=("企业法人",), scene=0, online=4,
    keywords=["开公司", "注册公司", "办执照", "公司注册", "市场主体登记"],
    faqs=[("注册公司要多少钱？", "登记不收费；注册资本实行认缴制，股东应在五年内缴足。")])
COMPANY = company_doc["task_code"]


def cancel(codes):
    general, simple = codes
    return [
        q("debts", "是否存在未结清的债权债务？", "yes_no"),
        q("simple_ok", "是否承诺全体投资人对债务清偿情况负责且未发生债权债务或已清偿完毕？", "yes_no", show_if=yes("debts", False)),
    ], [
        rule("r-general", {"any": [yes("debts"), yes("simple_ok", False)]}, select(general), need("qsbg"), need("gg"),
             cond("须在国家企业信用信息公示系统公告不少于 45 日"), limit(3)),
        rule("r-simple", yes("simple_ok"), select(simple), need("cns"), drop("qsbg"),
             cond("简易注销公示期为 20 日，公示期内无异议的可办理")),
    ]


add_cancel = scenario_item(
    MARKET, "企业注销登记", "行政许可",
    "《中华人民共和国公司法》第二百三十九条；《市场主体登记管理条例》（国务院令第746号）第三十一条、第三十三条",
    3, 1,
    [form("sqs", "注销登记申请书"), mat("qsbg", "清算报告", always=False), mat("gg", "清算组备案及公告证明", always=False),
     mat("cns", "全体投资人承诺书", always=False), licence()],
    [("一般注销登记", "注销"), ("简易注销登记", "注销")], cancel, serve=("企业法人",),
    keywords=["公司注销", "关闭公司", "不干了", "简易注销"])

add(item(MARKET, "企业变更登记", "行政许可",
         "《市场主体登记管理条例》（国务院令第746号）第二十四条", 3, 1,
         [form("sqs", "变更登记申请书"), mat("jy", "变更决议或决定"), licence(), proxy()],
         kind="变更", result=("证照", "营业执照"), serve=("企业法人",), keywords=["改名字", "换法人", "变更地址"]))

# ---------------------------------------------------------------- 人社


def sscard(codes):
    reissue, replace = codes
    return [
        q("why", "为什么要补换社保卡？", "single", [("lost", "卡丢失了"), ("broken", "卡损坏、磨损或信息有误")]),
        q("self", "是否本人办理？", "yes_no"),
        q("age", "持卡人年龄（周岁）", "number"),
    ], [
        rule("r-lost", chose("why", "lost"), select(reissue), cond("丢失的须先办理挂失（可拨打 12333 或在“陕西人社”APP 办理）")),
        rule("r-broken", chose("why", "broken"), select(replace), need("jk")),
        rule("r-proxy", yes("self", False), need("wts")),
        rule("r-minor", {"not": {"at_least": {"question": "age", "min": 16}}}, need("hkb"), cond("未满 16 周岁的由监护人代办")),
    ]


scenario_item(
    HR, "社会保障卡补领、换领", "公共服务",
    "《社会保障卡管理办法》（人社部发〔2023〕29号）；《陕西省社会保障卡管理办法》", 1, 0,
    [id_card(), mat("jk", "原社会保障卡", always=False), hukou(always=False), proxy()],
    [("社会保障卡补领", "补证"), ("社会保障卡换领", "补证")], sscard, project="即办件", result=("证照", "社会保障卡"),
    keywords=["社保卡丢了", "社保卡补办", "社保卡坏了", "补社保卡", "换社保卡"],
    faqs=[("社保卡丢了怎么办？", "先挂失，再持身份证到窗口补领，即时制卡的当场领取。"),
          ("补社保卡要钱吗？", "陕西省内补换社会保障卡目前免收工本费。")])

add(item(HR, "社会保障卡申领", "公共服务", "《社会保障卡管理办法》（人社部发〔2023〕29号）", 1, 0,
         [id_card(), mat("zp", "本人近期免冠证件照（电子）", form="电子", accept_standard="白底，符合证件照规格"), hukou(always=False, applies_to="未成年人")],
         project="即办件", result=("证照", "社会保障卡"), keywords=["办社保卡", "新办社保卡", "宝宝社保卡"]))


def ssreg(codes):
    unit, flexible = codes
    return [q("who", "参保人是谁？", "single", [("unit", "单位（为职工参保）"), ("flex", "个人（灵活就业人员）")])], [
        rule("r-unit", chose("who", "unit"), select(unit), need("yyzz"), need("ygmc")),
        rule("r-flex", chose("who", "flex"), select(flexible), need("sfz"), drop("yyzz")),
    ]


ssreg_doc = scenario_item(
    HR, "社会保险登记", "公共服务", "《中华人民共和国社会保险法》第五十七条、第五十八条；《社会保险费征缴暂行条例》", 1, 0,
    [licence(always=False), mat("ygmc", "参保职工花名册", always=False, form="纸质和电子"), id_card(always=False)],
    [("单位参保登记", "新设"), ("灵活就业人员参保登记", "新设")], ssreg, project="即办件", serve=("自然人", "企业法人"),
    keywords=["社保", "交社保", "参保", "社会保险开户", "单位社保"])
SSREG = ssreg_doc["task_code"]

add(item(HR, "失业保险金申领", "行政给付", "《中华人民共和国社会保险法》第四十五条；《失业保险条例》第十四条", 10, 3,
         [id_card(), mat("jcht", "解除或终止劳动关系证明", identity="解除劳动关系证明"), mat("yhk", "本人社会保障卡或银行账户", source="政府部门核发")],
         keywords=["失业金", "失业了", "领失业金", "失业补助"],
         faqs=[("失业金能领多久？", "按累计缴费时间确定，最长 24 个月。")]))
add(item(HR, "就业创业证申领", "公共服务", "《就业服务与就业管理规定》第六十三条", 5, 1,
         [id_card(), mat("zp", "近期免冠照片（电子）", form="电子")], project="即办件", result=("证照", "就业创业证"),
         keywords=["失业证", "就业证", "创业证"]))
add(item(HR, "基本养老保险待遇申领（退休）", "行政给付", "《中华人民共和国社会保险法》第十六条", 20, 10,
         [id_card(), mat("dafy", "职工档案", source="其他", source_explain="由存档单位或人才中心提供"), mat("yhk", "本人社会保障卡", source="政府部门核发")],
         keywords=["退休", "办退休", "养老金", "领养老金"]))
add(item(HR, "创业担保贷款申请", "公共服务", "《财政部 人力资源社会保障部 中国人民银行关于进一步做好创业担保贷款财政贴息工作的通知》（财金〔2020〕21号）", 20, 10,
         [id_card(), licence(), mat("jh", "创业计划书")], keywords=["创业贷款", "贴息贷款", "小额贷款"]))
add(item(HR, "人力资源服务许可", "行政许可", "《人力资源市场暂行条例》第十八条", 20, 10,
         [form("sqs", "人力资源服务许可申请表"), licence(), mat("cs", "经营场所使用证明", material_type="复印件"),
          mat("ry", "专职工作人员名单及资质证明"), mat("zd", "工作规则和管理制度")],
         result=("证照", "人力资源服务许可证"), serve=("企业法人",), keywords=["职业中介", "人力资源公司", "猎头"]))
add(item(HR, "劳务派遣经营许可", "行政许可", "《中华人民共和国劳动合同法》第五十七条；《劳务派遣行政许可实施办法》", 20, 10,
         [form("sqs", "劳务派遣经营许可申请书"), licence(), mat("zb", "注册资本实缴证明（不少于 200 万元）"),
          mat("cs", "经营场所使用证明", material_type="复印件"), mat("zd", "劳务派遣管理制度")],
         result=("证照", "劳务派遣经营许可证"), serve=("企业法人",), keywords=["劳务派遣", "派遣公司"]))

# ---------------------------------------------------------------- 医保


def resident_med(codes):
    (reg,) = codes
    return [q("who", "参保人属于哪类人员？", "single",
              [("baby", "新生儿"), ("student", "在校学生"), ("other", "其他城乡居民")])], [
        rule("r-all", {"all": []}, select(reg)),
        rule("r-baby", chose("who", "baby"), need("csyxzm"), drop("sfz"),
             cond("新生儿出生 90 日内参保缴费的，自出生之日起享受待遇")),
        rule("r-student", chose("who", "student"), need("xj"), cond("在校学生可由学校统一代办")),
    ]


med_doc = scenario_item(
    MEDICAL, "城乡居民基本医疗保险参保登记", "公共服务", "《中华人民共和国社会保险法》第二十五条；《陕西省城乡居民基本医疗保险办法》", 1, 0,
    [id_card(), hukou(), mat("csyxzm", "出生医学证明", identity="出生医学证明", elicence_type="出生医学证明", exempt_way="数据共享",
                           source="政府部门核发", always=False), mat("xj", "学籍证明", always=False)],
    [("城乡居民医保参保登记", "新设")], resident_med, project="即办件",
    keywords=["医保", "居民医保", "新农合", "孩子医保", "宝宝医保", "交医保"])
MED = med_doc["task_code"]


def remote(codes):
    (rec,) = codes
    return [q("why", "异地就医的原因", "single",
              [("live", "长期异地居住（异地安置退休、常驻异地工作）"), ("temp", "临时外出就医"), ("refer", "转诊转院")])], [
        rule("r-all", {"all": []}, select(rec)),
        rule("r-live", chose("why", "live"), need("jzzm", "非必要"), cond("可用个人承诺代替居住证明")),
        rule("r-refer", chose("why", "refer"), need("zzd")),
        rule("r-temp", chose("why", "temp"), cond("临时外出就医备案有效期不少于 6 个月")),
    ]


scenario_item(
    MEDICAL, "基本医疗保险参保人员异地就医备案", "公共服务",
    "《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）", 1, 0,
    [id_card(), mat("jzzm", "异地居住证明或个人承诺书", always=False), mat("zzd", "转诊转院证明", always=False)],
    [("异地就医备案", "新设")], remote, project="即办件", online=4,
    keywords=["异地就医", "外地看病", "跨省就医", "医保备案"])
add(item(MEDICAL, "门诊慢特病待遇认定", "公共服务", "《陕西省基本医疗保险门诊慢特病管理办法》", 15, 10,
         [id_card(), mat("bl", "病历、检查报告等诊断材料", material_type="复印件")], keywords=["慢性病", "特殊病", "门诊慢病"]))
add(item(MEDICAL, "生育保险待遇核准支付", "行政给付", "《中华人民共和国社会保险法》第五十四条", 20, 10,
         [id_card(), mat("cyjl", "出院记录", material_type="复印件"), mat("csyxzm", "出生医学证明", identity="出生医学证明",
                                                                   elicence_type="出生医学证明", exempt_way="数据共享", source="政府部门核发")],
         keywords=["生育津贴", "生孩子报销", "生育报销"]))

# ---------------------------------------------------------------- 民政


def marriage(codes):
    (reg,) = codes
    return [q("before", "双方此前的婚姻状况", "multi", [("divorced", "有一方离异"), ("widowed", "有一方丧偶")]),
            q("foreign", "是否有一方为港澳台居民或外国人？", "yes_no")], [
        rule("r-all", {"all": []}, select(reg)),
        rule("r-divorced", chose("before", "divorced"), need("lhz", "必要", 1)),
        rule("r-foreign", yes("foreign"), stop("涉外及涉港澳台婚姻登记由西安市民政局婚姻登记处办理，请到市婚姻登记处申请")),
    ]


scenario_item(
    CIVIL, "内地居民结婚登记", "行政确认", "《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》第四条、第五条", 1, 0,
    [id_card(copies=2), mat("zp", "双方近期半身免冠合影照片", copies=3, accept_standard="2 寸红底合影"),
     mat("lhz", "离婚证或离婚判决书", always=False, identity="离婚证")],
    [("结婚登记", "新设")], marriage, project="即办件", result=("证照", "结婚证"), scene=1, online=2,
    keywords=["领证", "结婚", "结婚证", "登记结婚"],
    faqs=[("结婚登记需要户口本吗？", "2025 年 5 月起全国实行婚姻登记“全国通办”，凭双方身份证即可，无需户口簿。")])
add(item(CIVIL, "内地居民离婚登记", "行政确认", "《中华人民共和国民法典》第一千零七十六条、第一千零七十七条；《婚姻登记条例》第十条", 30, 30,
         [id_card(copies=2), mat("jhz", "结婚证", copies=2, identity="结婚证"), mat("xy", "离婚协议书", copies=3)],
         unit="自然日", result=("证照", "离婚证"), scene=2,
         special=[{"kind": "其他", "limit_days": 30, "explain": "离婚冷静期 30 日"}], keywords=["离婚", "离婚证"]))
add(item(CIVIL, "最低生活保障审核确认", "行政给付", "《社会救助暂行办法》第十一条；《陕西省最低生活保障审核确认办法》", 30, 20,
         [id_card(), hukou(), mat("sr", "家庭收入、财产情况声明及核对授权书")], keywords=["低保", "困难补助", "生活困难"]))
add(item(CIVIL, "高龄老人生活补贴申领", "行政给付", "《陕西省老年人权益保障条例》", 20, 10,
         [id_card(), mat("yhk", "本人银行账户", material_type="复印件")], keywords=["高龄补贴", "老人补贴", "80岁补贴"]))

# ---------------------------------------------------------------- 卫健
birth_cert = add(item(HEALTH, "出生医学证明首次签发", "公共服务", "《中华人民共和国母婴保健法》第二十三条；《出生医学证明管理办法》", 5, 1,
                      [mat("fmsfz", "父母双方居民身份证", identity="居民身份证", elicence_type="居民身份证", exempt_way="电子证照",
                           source="政府部门核发", check_way="验原件"), mat("csjl", "医疗机构出具的出生记录")],
                      result=("证照", "出生医学证明"), keywords=["出生证", "出生证明", "宝宝出生证"]))
BIRTH_CERT = birth_cert["task_code"]


def public_place(codes):
    new, renew, change = codes
    return [q("kind", "办理类型", "single", [("new", "新办"), ("renew", "延续"), ("change", "变更")]),
            q("type", "场所类型", "single", [("hotel", "住宿场所"), ("bath", "沐浴、游泳场所"), ("beauty", "美容美发场所")], chose("kind", "new"))], [
        rule("r-new", chose("kind", "new"), select(new), need("jk")),
        rule("r-hotel", chose("type", "hotel"), need("xd"), cond("住宿场所须配备与床位数相适应的清洗消毒设施")),
        rule("r-bath", chose("type", "bath"), need("sz"), limit(15)),
        rule("r-beauty", chose("type", "beauty"), stop("美容美发场所已取消公共场所卫生许可，依法开展经营即可（国发〔2016〕12号）")),
        rule("r-renew", chose("kind", "renew"), select(renew)),
        rule("r-change", chose("kind", "change"), select(change)),
    ]


scenario_item(
    HEALTH, "公共场所卫生许可", "行政许可", "《公共场所卫生管理条例》第八条；《公共场所卫生管理条例实施细则》第二十二条", 20, 5,
    [form("sqs", "公共场所卫生许可申请表"), licence(), mat("jk", "从业人员健康合格证明", always=False),
     mat("xd", "卫生管理制度和消毒设施清单", always=False), mat("sz", "水质检测报告", always=False)],
    [("公共场所卫生许可新办", "新设"), ("公共场所卫生许可延续", "延续"), ("公共场所卫生许可变更", "变更")],
    public_place, result=("证照", "公共场所卫生许可证"), serve=("企业法人", "非法人企业", "自然人"),
    keywords=["卫生许可证", "宾馆", "游泳馆", "洗浴"])
add(item(HEALTH, "诊所备案", "行政备案", "《医疗机构管理条例》第十五条；《诊所备案管理暂行办法》（国卫医政发〔2022〕33号）", 1, 0,
         [form("bab", "诊所备案信息表"), mat("zz", "执业医师资格证和执业证书", material_type="复印件"),
          premises()], project="即办件", serve=("自然人", "企业法人"), keywords=["开诊所", "个体诊所"]))

# ---------------------------------------------------------------- 住建
drain = add(item(HOUSING, "城镇污水排入排水管网许可", "行政许可", "《城镇排水与污水处理条例》第二十一条；《城镇污水排入排水管网许可管理办法》", 20, 7,
                 [form("sqs", "城镇污水排入排水管网许可申请表"), licence(), mat("gw", "排水户内部排水管网、专用检测井等平面图"),
                  mat("cn", "排水许可告知承诺书", exempt_way=None)],
                 result=("证照", "城镇污水排入排水管网许可证"), serve=("企业法人", "自然人", "非法人企业"),
                 keywords=["排水许可", "排污", "餐饮排水", "下水"]))
DRAIN = drain["task_code"]
add(item(HOUSING, "建筑工程施工许可证核发", "行政许可", "《中华人民共和国建筑法》第八条；《建筑工程施工许可管理办法》（住房城乡建设部令第18号）", 7, 3,
         [form("sqs", "建筑工程施工许可申请表"), mat("ghxk", "建设工程规划许可证", source="政府部门核发"),
          mat("ht", "施工合同"), mat("zj", "建设资金已落实承诺书")],
         result=("证照", "建筑工程施工许可证"), serve=("企业法人",), keywords=["施工许可", "开工", "工地"]))
add(item(HOUSING, "商品房预售许可", "行政许可", "《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》第七条", 10, 7,
         [form("sqs", "商品房预售许可申请表"), licence(), mat("tdz", "不动产权证书（土地）", source="政府部门核发"),
          mat("jd", "工程施工进度证明")], result=("证照", "商品房预售许可证"), serve=("企业法人",), keywords=["预售证", "卖房"]))
add(item(HOUSING, "公共租赁住房资格申请", "公共服务", "《公共租赁住房管理办法》（住房城乡建设部令第11号）第七条", 30, 20,
         [id_card(), hukou(), mat("sr", "家庭收入及住房情况声明")], keywords=["公租房", "廉租房", "保障房"]))

# ---------------------------------------------------------------- 交通运输
add(item(TRANSPORT, "道路货物运输经营许可", "行政许可", "《中华人民共和国道路运输条例》第二十一条、第二十四条", 20, 5,
         [form("sqs", "道路货物运输经营申请表"), id_card(), mat("cl", "拟投入车辆承诺书"), mat("jsy", "驾驶人员从业资格证", material_type="复印件")],
         result=("证照", "道路运输经营许可证"), serve=("企业法人", "自然人"), keywords=["货运", "跑运输", "货车", "道路运输证"]))
add(item(TRANSPORT, "网络预约出租汽车驾驶员证核发", "行政许可", "《网络预约出租汽车经营服务管理暂行办法》第十四条", 20, 10,
         [id_card(), mat("jsz", "机动车驾驶证", identity="机动车驾驶证", elicence_type="机动车驾驶证", source="政府部门核发"),
          mat("cj", "从业资格考试合格证明")], result=("证照", "网络预约出租汽车驾驶员证"), keywords=["网约车", "滴滴", "开网约车"]))
add(item(TRANSPORT, "出租汽车驾驶员从业资格证补证", "公共服务", "《出租汽车驾驶员从业资格管理规定》", 5, 1,
         [id_card(), mat("sm", "遗失声明")], kind="补证", result=("证照", "从业资格证"), keywords=["出租车", "资格证丢了"]))

# ---------------------------------------------------------------- 税务
invoice = add(item(TAX, "发票领用", "其他行政权力", "《中华人民共和国发票管理办法》第十五条", 1, 0,
                   [licence(), mat("jbr", "经办人身份证件", identity="居民身份证", elicence_type="居民身份证", exempt_way="电子证照",
                                   source="政府部门核发", check_way="验原件")],
                   project="即办件", serve=("企业法人", "非法人企业", "自然人"),
                   keywords=["领发票", "开发票", "数电发票", "发票"]))
INVOICE = invoice["task_code"]
add(item(TAX, "开具税收完税证明", "公共服务", "《税收票证管理办法》第二十六条", 1, 0, [id_card()], project="即办件",
         keywords=["完税证明", "纳税证明", "交税证明"]))
add(item(TAX, "新办纳税人涉税事项综合办理", "公共服务", "《中华人民共和国税收征收管理法》第十五条", 1, 0,
         [licence(), id_card("fr")], project="即办件", serve=("企业法人", "非法人企业"), keywords=["税务登记", "报税", "税务报到"]))

# ---------------------------------------------------------------- 公积金


def fund_draw(codes):
    buy, rent, retire = codes
    return [q("why", "提取原因", "single", [("buy", "购买自住住房"), ("rent", "租房自住"), ("retire", "离休、退休")]),
            q("married", "是否同时提取配偶的公积金？", "yes_no", show_if={"any": [chose("why", "buy"), chose("why", "rent")]})], [
        rule("r-buy", chose("why", "buy"), select(buy), need("gfht"), need("fp")),
        rule("r-rent", chose("why", "rent"), select(rent), need("zlcn", "非必要"), cond("租房提取每年一次，额度按西安市标准执行")),
        rule("r-retire", chose("why", "retire"), select(retire), need("txz")),
        rule("r-married", yes("married"), need("jhz")),
    ]


scenario_item(
    FUND, "住房公积金提取", "公共服务", "《住房公积金管理条例》第二十四条；《西安住房公积金提取管理办法》", 3, 1,
    [id_card(), mat("gfht", "购房合同或不动产权证书", always=False), mat("fp", "购房发票", always=False),
     mat("zlcn", "租房提取承诺书", always=False), mat("txz", "退休证明", always=False),
     mat("jhz", "结婚证", always=False, identity="结婚证")],
    [("购房提取", "其他"), ("租房提取", "其他"), ("退休提取", "其他")], fund_draw, project="承诺件",
    keywords=["取公积金", "公积金提取", "提公积金", "租房提取"])
fund_reg = add(item(FUND, "住房公积金单位缴存登记", "公共服务", "《住房公积金管理条例》第十四条", 3, 1,
                    [licence(), form("djb", "单位住房公积金缴存登记表")], serve=("企业法人", "非法人企业"),
                    keywords=["公积金开户", "单位公积金", "交公积金"]))
FUND_REG = fund_reg["task_code"]
add(item(FUND, "住房公积金个人住房贷款", "公共服务", "《住房公积金管理条例》第二十六条", 15, 10,
         [id_card(), mat("gfht", "购房合同"), mat("sr", "收入证明")], keywords=["公积金贷款", "买房贷款"]))

# ---------------------------------------------------------------- 公安


def birth_reg(codes):
    (reg,) = codes
    return [q("where", "随父亲还是母亲落户？", "single", [("father", "随父"), ("mother", "随母")]),
            q("wed", "父母是否已登记结婚？", "yes_no")], [
        rule("r-all", {"all": []}, select(reg)),
        rule("r-wed", yes("wed"), need("jhz")),
        rule("r-unwed", yes("wed", False), need("qz", "必要"), cond("非婚生育的，须提供亲子鉴定证明或父母双方到场申报")),
    ]


birth_reg_doc = scenario_item(
    POLICE, "出生登记", "行政确认", "《中华人民共和国户口登记条例》第七条", 1, 0,
    [mat("csyxzm", "出生医学证明", identity="出生医学证明", elicence_type="出生医学证明", exempt_way="数据共享", source="政府部门核发"),
     hukou(), mat("fmsfz", "父母双方居民身份证", identity="居民身份证", elicence_type="居民身份证", exempt_way="电子证照",
                  source="政府部门核发", check_way="验原件"),
     mat("jhz", "父母结婚证", always=False, identity="结婚证"), mat("qz", "亲子鉴定证明", always=False)],
    [("出生登记", "新设")], birth_reg, project="即办件", result=("其他", "居民户口簿"),
    keywords=["上户口", "孩子上户口", "新生儿落户", "报户口"])
BIRTH_REG = birth_reg_doc["task_code"]


def idcard(codes):
    first, renew, reissue = codes
    return [q("why", "办理原因", "single", [("first", "首次申领"), ("expire", "有效期满或即将到期换领"), ("lost", "丢失补领")]),
            q("age", "申请人年龄（周岁）", "number")], [
        rule("r-first", chose("why", "first"), select(first), need("hkb"), fee("居民身份证工本费", 2000)),
        rule("r-expire", chose("why", "expire"), select(renew), need("jz"), fee("居民身份证工本费", 2000)),
        rule("r-lost", chose("why", "lost"), select(reissue), fee("居民身份证工本费", 4000), cond("丢失补领收取工本费 40 元")),
        rule("r-minor", {"not": {"at_least": {"question": "age", "min": 16}}}, need("jhr"), cond("未满 16 周岁的由监护人陪同申领")),
    ]


scenario_item(
    POLICE, "居民身份证申领、换领、补领", "行政确认", "《中华人民共和国居民身份证法》第八条、第十一条", 60, 20,
    [hukou(always=False), mat("jz", "原居民身份证", always=False), mat("jhr", "监护人居民身份证", always=False, identity="监护人身份证")],
    [("居民身份证首次申领", "新设"), ("居民身份证换领", "延续"), ("居民身份证补领", "补证")], idcard,
    unit="自然日", result=("证照", "居民身份证"), charge=[{"name": "居民身份证工本费", "standard": "首次申领、换领 20 元/证；丢失补领 40 元/证",
                                                     "fen": 2000, "basis": "发改价格〔2003〕2322号"}],
    keywords=["身份证", "办身份证", "身份证丢了", "身份证到期", "补身份证"])
add(item(POLICE, "居住证申领", "公共服务", "《居住证暂行条例》第九条", 15, 10,
         [id_card(), mat("zs", "居住证明（租赁合同或房产证明）", material_type="复印件")], result=("证照", "居住证"),
         keywords=["居住证", "暂住证", "外地人"]))
seal = add(item(POLICE, "公章刻制备案", "行政备案", "《国务院关于第三批取消中央指定地方实施行政许可事项的决定》（国发〔2017〕7号）；《印铸刻字业暂行管理规则》", 1, 0,
                [licence(), id_card("fr")], project="即办件", serve=("企业法人", "非法人企业"),
                keywords=["刻章", "公章", "印章备案", "刻公章"]))
SEAL = seal["task_code"]

# ---------------------------------------------------------------- 行政审批服务局
add(item(APPROVAL, "药品零售企业经营许可", "行政许可", "《中华人民共和国药品管理法》第五十一条；《药品经营和使用质量监督管理办法》（国家市场监督管理总局令第84号）", 20, 15,
         [form("sqs", "药品经营许可证申请表"), licence(), mat("zz", "执业药师注册证", material_type="复印件"),
          premises(), mat("zd", "药品质量管理制度")], result=("证照", "药品经营许可证"), serve=("企业法人", "非法人企业"),
         keywords=["开药店", "药房", "卖药"],
         special=[{"kind": "现场勘查", "limit_days": 10, "explain": "现场检查时间不计入审批时限"}]))
add(item(APPROVAL, "第二类医疗器械经营备案", "行政备案", "《医疗器械监督管理条例》第四十一条", 1, 0,
         [form("bab", "第二类医疗器械经营备案表"), licence(), premises()], project="即办件", serve=("企业法人", "非法人企业"),
         keywords=["医疗器械", "卖口罩", "器械备案"]))
add(item(APPROVAL, "户外广告设施设置审批", "行政许可", "《陕西省城市市容和环境卫生管理条例》", 20, 5,
         [form("sqs", "户外广告设施设置申请表"), licence(), mat("xg", "设施效果图和设计图")],
         result=("批文", "户外广告设施设置审批决定书"), serve=("企业法人", "非法人企业", "自然人"),
         keywords=["招牌", "门头", "广告牌", "店招"]))

bundles = [
    {"code": "YJS-KBCYD", "name": "开办餐饮店", "description": "开一家小饭馆、小吃店、奶茶店：一次告知、一表申请、一窗受理，营业执照、食品经营许可、排水许可与发票同步办理。",
     "members": [{"task_code": GETIHU, "note": "先办营业执照"}, {"task_code": FOOD}, {"task_code": DRAIN}, {"task_code": INVOICE}],
     "keywords": ["开饭店", "开餐馆", "开小吃店", "开奶茶店", "餐饮店"]},
    {"code": "YJS-XSECS", "name": "新生儿出生", "description": "宝宝出生后一次办好出生医学证明、户口登记、城乡居民医保参保和社会保障卡申领。",
     "members": [{"task_code": BIRTH_CERT}, {"task_code": BIRTH_REG}, {"task_code": MED}],
     "keywords": ["生孩子", "宝宝出生", "新生儿", "孩子出生"]},
    {"code": "YJS-QYKB", "name": "企业开办", "description": "设立登记、公章刻制、发票领用、社保与公积金开户一次办结，全程 1 个工作日内。",
     "members": [{"task_code": COMPANY}, {"task_code": SEAL}, {"task_code": INVOICE}, {"task_code": SSREG}, {"task_code": FUND_REG}],
     "keywords": ["开公司", "注册公司", "企业开办", "办企业"]},
]

synonyms = [
    ["社保", "社会保险"], ["营业执照", "市场主体登记", "个体工商户登记", "执照"], ["开饭店", "餐饮", "饭馆", "小饭馆", "餐馆", "饭店"],
    ["上户口", "出生登记", "落户"], ["公积金", "住房公积金"], ["医保", "医疗保险"], ["身份证", "居民身份证"],
    ["生孩子", "新生儿", "出生"], ["开公司", "企业设立", "注册公司"], ["低保", "最低生活保障"], ["网约车", "网络预约出租汽车"],
    ["刻章", "公章刻制"], ["药店", "药品零售"],
]

catalog = {"format": "govhall-catalog", "format_version": 1, "hall": "CA-ZWFW",
           "items": items, "bundles": bundles, "synonyms": [{"terms": g} for g in synonyms]}

out = pathlib.Path(__file__).resolve().parent.parent / "crates/server/demo/catalog.json"
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(json.dumps(catalog, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"{len(items)} items ({sum(1 for i in items if i['questions'])} with scenarios), {len(bundles)} bundles -> {out}")
