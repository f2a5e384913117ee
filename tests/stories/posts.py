"""Small posts of our own for the stories tests: one story as its first outlet
ran it and as others re-ran it, and other stories on the same subject."""

STORY = [
    "国内某新能源车企今天在北京举行发布会，正式推出旗下第三款纯电动轿车，官方指导价区间为十八万至二十五万元。",
    "新车基于全新一代电动平台打造，搭载容量为八十五千瓦时的磷酸铁锂电池，官方公布的续航里程最高可达六百五十公里。",
    "该平台支持八百伏高压快充，在兼容的超级充电站上，电量从百分之十充到百分之八十只需要十八分钟左右。",
    "在智能驾驶方面，新车配备了一颗激光雷达和十一个摄像头，支持城市道路的领航辅助驾驶功能，首批用户将通过在线升级获得。",
    "公司负责人在发布会上表示，今年的销量目标是二十万辆，并计划在年底前把自建充电站的数量扩大到两千座。",
]
SAME_SUBJECT = [
    "另一家造车新势力本周公布了上个月的交付数据，单月交付量首次突破三万辆，同比增长超过一倍。",
    "该公司表示，交付量的增长主要来自今年上市的中型运动型多用途车，这款车型占到了总交付量的六成以上。",
    "分析人士认为，随着价格战持续，各家车企的毛利率都面临压力，下半年行业整合可能会加快。",
    "该公司同时透露，位于华东的第二工厂已经开始试生产，预计明年一季度达到满产，年产能可达二十万辆。",
]


def html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def republished(paragraphs: list[str], *, outlet: str = "极客观察") -> str:
    """The story as another outlet runs it: its byline, one paragraph cut,
    half-width punctuation, a picture dropped in, a copyright line."""
    kept = [paragraph.replace("，", ",").replace("。", ".") for paragraph in paragraphs[:2] + paragraphs[3:]]
    return (
        f"<p>来源：{outlet}</p><p>责任编辑：李华</p>"
        + html(kept)
        + f"<p>© 2026 {outlet} 版权所有，未经许可禁止转载。</p>"
    )
