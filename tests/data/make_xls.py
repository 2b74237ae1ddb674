"""Write the old-Excel fixture tests/data/xls/tjj_old_format_2021-2022.xls (needs LibreOffice).

Bureaux still send .xls (Excel 97-2003).  Nothing on PyPI that is kept up writes that format, so the
fixture is built as .xlsx with openpyxl and converted by LibreOffice headless (``soffice``, Debian package
libreoffice-calc-nogui); the .xls is committed, this script says how it was made:

    python tests/data/make_xls.py

What it holds: a merged title with the unit, a year header of numbers, a percentage-formatted share
(stored 0.0066, shown 0.66%), a value typed as text with a thousands separator, a hidden row that is data,
and a hidden sheet that is not.
"""
import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook

TARGET = Path(__file__).parent / "xls" / "tjj_old_format_2021-2022.xls"  # apart: its values are its own


def workbook(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "科技"
    ws.append(["灵寿县科技统计（单位：万元）", None, None])
    ws.merge_cells("A1:C1")
    ws.append(["指标", 2021, 2022])
    ws.append(["地方财政科技支出", 1180, "1,520"])
    ws.append(["一般公共预算支出", 215600, 228400])
    ws.append(["地方财政科技支出占公共财政支出的比重", 0.0055, 0.0066])
    for cell in ws[5][1:]:
        cell.number_format = "0.00%"
    ws["A5"].value = "地方财政科技支出占公共财政支出的比重(%)"
    ws.append(["高新技术企业数(家)", 18, 24])
    ws.row_dimensions[6].hidden = True
    scratch = wb.create_sheet("草稿")
    scratch.append(["随手记", "不是数据"])
    scratch.sheet_state = "hidden"
    wb.save(path)


def main() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (TARGET.stem + ".xlsx")
        workbook(src)
        subprocess.run([soffice, "--headless", "--convert-to", "xls", "--outdir", tmp, str(src)], check=True,
                       capture_output=True)
        shutil.copyfile(Path(tmp) / TARGET.name, TARGET)
    print(TARGET)


if __name__ == "__main__":
    main()
