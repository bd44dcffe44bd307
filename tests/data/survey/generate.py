#!/usr/bin/env python3
"""generate.py: writes the survey test files of this directory (run once; the bytes are committed).

All three real-shaped files carry the same 42 answers (the 2023 shares of DOMAIN.md, Chelyabinsk
city missing) in the shapes the institute meets: a Google Forms export (UTF-8 with BOM, commas,
multiple answers joined by ", "), an Excel "save as CSV" (Windows-1251, semicolons, written
through iconv), and a Yandex Forms export (UTF-8, CRLF, multiple answers on separate lines of a
quoted cell, a header with a line break, free text with quotes and line breaks).

bad_answers.csv and codes_and_typos.csv are small hand-written cases of test_survey.c, not
written by this script.
"""
import subprocess

RMO = ["Педагогическое взаимодействие со «сложным» контингентом обучающихся",
       "Профилактика школьной неуспешности обучающихся",
       "Формирование функциональной грамотности обучающихся"]
SPS = ["Психолого-педагогическое сопровождение слабоуспевающих школьников",
       "Использование потенциала школ-лидеров в повышении качества образования"]
Q13 = ["Сетевое региональное методическое объединение «%s»." % RMO[0],
       "Сетевое региональное методическое объединение «%s»" % RMO[1],
       "Сетевое региональное методическое объединение «%s»" % RMO[2],
       "Не участвуют ни в одном из вышеназванных методических объединений.",
       "Не владеем данной информацией."]
Q14 = ["Педагоги зарегистрированы в методических объединениях.",
       "Педагоги зарегистрированы и активно обсуждают имеющиеся там материалы.",
       "Педагоги предоставляют свои материалы для размещения в методических объединениях, участвуют в обсуждении.",
       "Педагоги не участвуют в методических объединениях.",
       "Не владеем данной информацией."]
Q16 = ["Сетевое профессиональное сообщество «%s»" % SPS[0],
       "Сетевое профессиональное сообщество «%s»" % SPS[1],
       "Не участвуют ни в одном из вышеназванных объединений и сообществ.",
       "Не владеем данной информацией."]
Q17 = ["Педагоги зарегистрированы в профессиональных сетевых сообществах.",
       "Педагоги зарегистрированы и активно обсуждают имеющиеся там материалы.",
       "Педагоги предоставляют свои материалы для размещения в профессиональных сетевых сообществах, участвуют в обсуждении.",
       "Педагоги не участвуют в профессиональных сетевых сообществах.",
       "Не владеем данной информацией."]

# The municipality as each respondent wrote it (the survey's usual spellings), in the
# map's order less Chelyabinsk city, which did not answer in 2023.
NAMES = ["г. Магнитогорск", "Златоустовский ГО", "Миасский городской округ", "Копейский ГО",
         "г. Троицк", "Озерский городской округ", "Снежинский ГО", "Трехгорный ГО",
         "Локомотивный ГО", "Кыштымский городской округ", "Карабашский ГО",
         "Верхнеуфалейский ГО", "Южноуральский ГО", "Чебаркульский ГО", "Усть-Катавский ГО",
         "Агаповский МР", "Аргаяшский муниципальный район", "Ашинский МР", "Брединский МР",
         "Варненский МР", "  верхнеуральский   МР ", "Еманжелинский МР", "Еткульский МР",
         "Карталинский МР", "Каслинский МР", "Катав-Ивановский МР", "Кизильский МР",
         "Коркинский МО", "Красноармейский МР", "Кунашакский МР", "Кусинский МР",
         "Нагайбакский МР", "Нязепетровский МР", "Октябрьский МР", "Пластовский МР",
         "Саткинский МР", "Сосновский МР", "Троицкий МР", "Увельский МР", "Уйский МР",
         "Чебаркульский МР", "Чесменский МР"]
assert len(NAMES) == 42

# Q13: 33 / 30 / 25 of 42 in the three RMOs, one in none, four don't know (78.6 / 71.4 /
# 59.5 / 2.4 / 9.5 %). Q14: 22 registered, 12 discuss, 3 contribute, 1 none, 4 don't know.
# Q16: 30 / 26 in the two communities, 2 none, 3 don't know. Q17: 25 registered,
# 9 discuss, 3 contribute, 2 none, 3 don't know (59.5 / 21.4 / 7.1 / 4.8 / 7.1 %).
def q13(i):
    if i == 41: return [3]
    if i >= 37: return [4]
    return ([0] if i < 33 else []) + ([1] if i < 26 or i >= 33 else []) + ([2] if i % 3 != 2 else [])

def fix13():
    return [q13(i) for i in range(42)]

Q14_PLAN = [0] * 22 + [1] * 12 + [2] * 3 + [4] * 4 + [3]
Q17_PLAN = [0] * 25 + [1] * 9 + [2] * 3 + [4] * 3 + [3] * 2

def q16(i):
    if i >= 40: return [2]
    if i >= 37: return [3]
    return ([0] if i < 30 else []) + ([1] if i >= 11 else [])

def rows():
    r13 = fix13()
    for i, name in enumerate(NAMES):
        yield (name, [Q13[k] for k in r13[i]], Q14[Q14_PLAN[i]], [Q16[k] for k in q16(i)],
               Q17[Q17_PLAN[i]])

HEAD13 = ("13. В каких региональных методических объединениях, организованных в соответствии "
          "с письмом Министерства образования и науки Челябинской области № 9132 от 01.09.2023 г., "
          "участвуют педагоги подведомственных образовательных организаций?")
HEAD14 = ("14. Оцените характер участия педагогов в указанных в п. 14 региональных методических "
          "объединениях:")
HEAD15 = ("15. Какие изменения Вы бы порекомендовали внести в работу региональных методических "
          "объединений, указанных в п. 14, администраторам и модераторам?")
HEAD16 = ("16. В каких региональных профессиональных сетевых сообществах, организованных в "
          "соответствии с письмом Министерства образования и науки Челябинской области № 9132 от "
          "01.09.2023 г., участвуют педагоги подведомственных образовательных организаций?")
HEAD17 = ("17. Оцените характер участия педагогов в указанных в п. 17 региональных "
          "профессиональных сетевых сообществах:")
HEAD7 = ("7. В каких мероприятиях адресной поддержки приняли участие школы с низкими "
         "результатами обучения и школы, функционирующие в неблагоприятных социальных условиях, "
         "вашего муниципалитета?")

def q(cell, sep):
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in sep + '"\n') else cell

def write(path, text, encoding, bom=False):
    data = text.encode("utf-8")
    if encoding != "utf-8":
        # iconv, as the brief asks: the bytes are what Excel writes
        data = subprocess.run(["iconv", "-f", "UTF-8", "-t", encoding], input=data,
                              check=True, capture_output=True).stdout
    with open(path, "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + data)

def google():
    lines = [",".join(q(h, ",") for h in ["Отметка времени", "Муниципальное образование", HEAD7,
                                          HEAD13, HEAD14, HEAD15, HEAD16, HEAD17])]
    for i, (name, a13, a14, a16, a17) in enumerate(rows()):
        cells = ["2023/11/%02d 10:%02d:00 AM GMT+5" % (1 + i % 28, i), name,
                 "В вебинарах, организуемых учреждениями дополнительного профессионального "
                 "образования Челябинской области.", ", ".join(a13), a14,
                 "Больше практических материалов" if i % 5 == 0 else "", ", ".join(a16), a17]
        lines.append(",".join(q(c, ",") for c in cells))
    return "\n".join(lines) + "\n"

def excel():
    heads = ["№", "Муниципалитет", HEAD13[4:], HEAD14[4:], HEAD16[4:], HEAD17[4:]]
    lines = [";".join(q(h, ";") for h in heads)]
    for i, (name, a13, a14, a16, a17) in enumerate(rows()):
        cells = [str(i + 1), name, "; ".join(a13) if i % 2 else ", ".join(a13), a14,
                 ", ".join(a16), a17]
        lines.append(";".join(q(c, ";") for c in cells))
    return "\r\n".join(lines) + "\r\n"

def yandex():
    heads = ["ID", "Муниципальное образование\n(городской округ, муниципальный район)", HEAD13,
             HEAD14, HEAD15, HEAD16, HEAD17]
    lines = [",".join(q(h, ",") for h in heads)]
    for i, (name, a13, a14, a16, a17) in enumerate(rows()):
        remark = ('Предлагаем проводить "круглые столы"\nи публиковать материалы\nзаранее'
                  if i % 4 == 0 else "")
        cells = [str(1000 + i), name, "\n".join(a13), a14, remark, "\n".join(a16), a17]
        lines.append(",".join(q(c, ",") for c in cells))
    return "\r\n".join(lines) + "\r\n"

def excel_demo():
    """config/demo-survey-2023.csv opened and saved again by a Russian Excel: ';' between
    cells, a cell quoted only when it holds ';', '"' or a line break, so the commas of the
    question texts stand bare (issue 22, B10)."""
    import csv
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "../../../config/demo-survey-2023.csv"), encoding="utf-8-sig",
              newline="") as f:
        table = list(csv.reader(f))
    return "\r\n".join(";".join(q(c, ";") for c in row) for row in table) + "\r\n"

write("forms_utf8_bom.csv", google(), "utf-8", bom=True)
write("excel_cp1251.csv", excel(), "CP1251")
write("yandex_multiline.csv", yandex(), "utf-8")
write("excel_demo_semicolon.csv", excel_demo(), "CP1251")
