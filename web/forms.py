"""The web forms. They check only what a form can know (CSRF, required fields, lengths);
the domain rules live in the services the views call."""

from __future__ import annotations

from datetime import date, datetime

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import PasswordField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from archive.doctypes import DocType


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired(), Length(max=256)])


class CaseForm(FlaskForm):
    name = StringField("名称")
    internal_no = StringField("内部编号")
    cause = StringField("案由")
    department = StringField("承办部门")
    owner = StringField("负责人")
    parties = TextAreaField("当事人")
    court_numbers = TextAreaField("法院案号")


def doc_type_choices() -> list[SelectChoice]:
    return [SelectChoice(dt.value, dt.label) for dt in DocType]


class UploadForm(FlaskForm):
    files = MultipleFileField("文件")
    # The choice is checked by archive.doctypes.parse_doc_type (with a Chinese message).
    doc_type = SelectField(
        "文档类型", choices=doc_type_choices(), default=DocType.OTHER.value, validate_choice=False
    )
    title = StringField("标题", validators=[Optional(), Length(max=300, message="标题不能超过 300 个字符")])
    doc_date = StringField("文档日期", validators=[Optional()], render_kw={"placeholder": "YYYY-MM-DD"})
    parsed_doc_date: date | None = None

    def validate_doc_date(self, field) -> None:
        try:
            self.parsed_doc_date = datetime.strptime(field.data.strip(), "%Y-%m-%d").date()
        except ValueError:
            raise ValidationError("文档日期格式应为 YYYY-MM-DD，例如 2023-05-12") from None
