"""Industries, job functions, enumerations and special permits (ORG-1, ORG-12, JOB-1, SRCH-1)."""

from pinqiao.reference import taxonomy


def test_it_lists_the_gbt_4754_sections_a_to_t():
    sections = taxonomy.industries()
    assert [s.code for s in sections] == list("ABCDEFGHIJKLMNOPQRST")
    assert taxonomy.industry("I").name == "信息传输、软件和信息技术服务业"
    assert taxonomy.industry("H").name == "住宿和餐饮业"


def test_it_has_recruitment_sub_industries():
    for slug, section in [
        ("internet", "I"),
        ("ecommerce", "F"),
        ("education_training", "P"),
        ("healthcare", "Q"),
        ("catering", "H"),
        ("logistics", "G"),
        ("manufacturing", "C"),
    ]:
        assert taxonomy.industry(slug).parent_code == section
    assert taxonomy.industry("internet").name == "互联网/IT"
    assert all(i.parent_code == "H" for i in taxonomy.industry_children("H"))


def test_it_has_unique_industry_codes_and_job_slugs():
    codes = [
        i.code for s in taxonomy.industries() for i in [s, *taxonomy.industry_children(s.code)]
    ]
    assert len(codes) == len(set(codes))
    families = taxonomy.job_families()
    family_slugs = [f.slug for f in families]
    function_slugs = [f.slug for f in taxonomy.job_functions()]
    assert len(family_slugs) == len(set(family_slugs))
    assert len(function_slugs) == len(set(function_slugs))
    assert len(families) >= 25 and len(function_slugs) >= 200
    assert sum(len(f.functions) for f in families) == len(function_slugs)


def test_it_groups_functions_under_families():
    assert taxonomy.job_function("forklift_driver").family_slug == "logistics"
    assert taxonomy.job_function("forklift_driver").name == "叉车司机"
    assert taxonomy.job_function("java_dev").name == "Java开发"
    assert {f.name for f in taxonomy.job_functions("catering")} >= {"服务员", "厨师"}
    assert {f.name for f in taxonomy.job_functions("production")} >= {"普工", "质检员"}
    assert taxonomy.job_function("cross_border_ecommerce_operations").name == "跨境电商运营"
    assert taxonomy.job_function("nope") is None


def test_it_has_the_fixed_enumerations():
    assert [c.label for c in taxonomy.EDUCATION_LEVELS] == [
        "不限",
        "初中及以下",
        "高中/中专/中技",
        "大专",
        "本科",
        "硕士",
        "博士",
    ]
    assert [c.label for c in taxonomy.EXPERIENCE_BANDS] == [
        "不限",
        "应届",
        "1年以内",
        "1-3年",
        "3-5年",
        "5-10年",
        "10年以上",
    ]
    assert taxonomy.as_choices(taxonomy.EMPLOYMENT_TYPES) == [
        ("full_time", "全职"),
        ("part_time", "兼职"),
        ("internship", "实习"),
        ("dispatch", "劳务派遣"),
        ("hourly", "小时工"),
    ]
    assert taxonomy.as_choices(taxonomy.PAY_UNITS) == [
        ("month", "月"),
        ("day", "日"),
        ("hour", "时"),
    ]


def test_it_names_the_permit_each_special_industry_needs():
    permits = {p.slug: p for p in taxonomy.special_permits()}
    assert permits["food_business"].permit == "食品经营许可证"
    assert permits["medical_institution"].permit == "医疗机构执业许可证"
    assert permits["security_service"].permit == "保安服务许可证"
    assert permits["road_transport"].permit == "道路运输经营许可证"
    assert permits["private_school"].permit == "办学许可证"
    assert permits["hr_services"].permit == "人力资源服务许可证"
    assert permits["labour_dispatch"].permit == "劳务派遣经营许可证"
    assert permits["construction"].permit == "建筑业企业资质证书"
    assert permits["hazardous_chemicals"].permit == "危险化学品经营许可证"
    assert all(p.authority for p in permits.values())
    for permit in permits.values():
        assert all(taxonomy.industry(code) for code in permit.industries), permit.slug


def test_it_finds_permits_by_industry():
    assert [p.permit for p in taxonomy.permits_for_industry("catering")] == ["食品经营许可证"]
    section_h = {p.permit for p in taxonomy.permits_for_industry("H")}
    assert "食品经营许可证" in section_h
    assert taxonomy.permits_for_industry("software") == []
