//! The form fields the case's materials carry once digitized (申请书 → 申请人,
//! 联系电话, 经营地址 …, from the catalog). At intake the clerk fills only what
//! the applicant's details do not already say; a required field of a material
//! that was received must be filled before the case is accepted. Values are
//! stored encrypted with the case (they repeat names, phones and addresses).

use crate::entity::{case, material};
use crate::materials::Way;
use govhall_catalog::model::{ItemDoc, Material};
use govhall_kernel::{
    crypto::PiiCipher,
    error::AppResult,
    mask::{mask_id_card, mask_phone},
    validate::{Checker, is_mobile_phone, parse_id_card},
};
use govhall_platform::AppState;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// At most this many characters in one value.
const MAX_LEN: usize = 200;

/// One field the received materials ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub required: bool,
    /// The materials that carry it (for the message when it is missing).
    pub materials: Vec<String>,
}

/// The fields of the materials received, each once, in checklist order.
pub fn fields_of<'a>(received: impl IntoIterator<Item = &'a Material>) -> Vec<Field> {
    let mut out: Vec<Field> = vec![];
    for m in received {
        for f in &m.fields {
            match out.iter_mut().find(|o| o.name == f.name) {
                Some(o) => {
                    o.required |= f.required;
                    o.materials.push(m.name.clone());
                }
                None => out.push(Field {
                    name: f.name.clone(),
                    required: f.required,
                    materials: vec![m.name.clone()],
                }),
            }
        }
    }
    out
}

/// What the applicant's details already say about a field, by its usual names.
pub struct Known<'a> {
    pub name: &'a str,
    /// An organisation's number is its 统一社会信用代码, never an 身份证号.
    pub organisation: bool,
    pub cert_no: &'a str,
    pub phone: &'a str,
    pub legal_rep: Option<&'a str>,
    pub contact_name: &'a str,
}

impl Known<'_> {
    pub fn value(&self, field: &str) -> Option<String> {
        let v = match field {
            "申请人" | "申请人姓名" | "申请人名称" | "单位名称" | "企业名称" | "姓名" => {
                self.name
            }
            "联系电话" | "手机号码" | "联系手机" | "电话" => self.phone,
            "证件号码" => self.cert_no,
            "身份证号" | "身份证号码" if !self.organisation => self.cert_no,
            "统一社会信用代码" if self.organisation => self.cert_no,
            "法定代表人" => self.legal_rep?,
            "联系人" => self.contact_name,
            _ => return None,
        };
        Some(v.trim().to_string()).filter(|v| !v.is_empty())
    }
}

/// What a case's own record says of the applicant (decrypted), for `Known`.
pub struct CaseApplicant {
    name: String,
    organisation: bool,
    cert_no: String,
    phone: String,
    legal_rep: Option<String>,
    contact_name: String,
}

impl CaseApplicant {
    pub(crate) fn of(pii: &dyn PiiCipher, c: &case::Model) -> Self {
        let open = |enc: &str| pii.decrypt(enc).unwrap_or_default();
        CaseApplicant {
            name: c.applicant_name.clone(),
            organisation: c.applicant_type == "organization",
            cert_no: open(&c.applicant_cert_enc),
            phone: open(&c.contact_phone_enc),
            legal_rep: c.legal_rep.clone(),
            contact_name: c.contact_name.clone(),
        }
    }

    pub fn known(&self) -> Known<'_> {
        Known {
            name: &self.name,
            organisation: self.organisation,
            cert_no: &self.cert_no,
            phone: &self.phone,
            legal_rep: self.legal_rep.as_deref(),
            contact_name: &self.contact_name,
        }
    }
}

/// The values stored with a case.
pub(crate) fn stored(pii: &dyn PiiCipher, c: &case::Model) -> Vec<(String, String)> {
    c.form_data_enc
        .as_deref()
        .and_then(|e| pii.decrypt(e).ok())
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

/// Values as stored (encrypted), or nothing when there are none.
pub fn seal(pii: &dyn PiiCipher, values: &[(String, String)]) -> Option<String> {
    (!values.is_empty()).then(|| pii.encrypt(&serde_json::to_string(values).unwrap_or_default()))
}

/// The item version the case was received under.
pub(crate) async fn doc_of(state: &AppState, c: &case::Model) -> AppResult<ItemDoc> {
    govhall_catalog::service::version_doc(state, &c.item_id, c.item_version).await
}

/// The fields a 补正 acceptance may ask (the screen shows those of the materials ticked).
pub(crate) async fn fields_for_case(
    state: &AppState,
    c: &case::Model,
    materials: &[material::Model],
) -> AppResult<Vec<FieldDto>> {
    let doc = doc_of(state, c).await?;
    let ids: Vec<String> = materials.iter().map(|m| m.material_id.clone()).collect();
    let applicant = CaseApplicant::of(state.pii.as_ref(), c);
    Ok(all_fields(
        &doc,
        &ids,
        &applicant.known(),
        &stored(state.pii.as_ref(), c),
    ))
}

/// On acceptance after 补正: the fields of every material now received must be
/// complete; what was filled at intake stays unless typed again.
pub(crate) fn recheck(
    ch: &mut Checker,
    pii: &dyn PiiCipher,
    c: &case::Model,
    doc: &ItemDoc,
    materials: &[material::Model],
    typed: &BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let received = doc.materials.iter().filter(|d| {
        materials
            .iter()
            .any(|m| m.material_id == d.id && Way::parse(&m.way).is_some_and(Way::received))
    });
    let fields = fields_of(received);
    let mut values: BTreeMap<String, String> = stored(pii, c)
        .into_iter()
        .filter(|(name, _)| fields.iter().any(|f| &f.name == name))
        .collect();
    values.extend(typed.clone());
    let applicant = CaseApplicant::of(pii, c);
    check(ch, &fields, &values, &applicant.known(), true)
}

/// Checks the values typed against the fields; fills what the applicant's
/// details know. `complete`: every required field must have a value (受理).
pub fn check(
    c: &mut Checker,
    fields: &[Field],
    typed: &BTreeMap<String, String>,
    known: &Known,
    complete: bool,
) -> Vec<(String, String)> {
    for name in typed.keys() {
        if !fields.iter().any(|f| &f.name == name) {
            c.fail("form", format!("本件材料的表单中没有“{name}”这一项"));
        }
    }
    let mut values = vec![];
    for f in fields {
        let path = format!("form.{}", f.name);
        let typed = typed
            .get(&f.name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        if typed.as_ref().is_some_and(|v| v.chars().count() > MAX_LEN) {
            c.fail(&path, format!("“{}”不超过 {MAX_LEN} 字", f.name));
            continue;
        }
        match typed.or_else(|| known.value(&f.name)) {
            Some(v) => values.push((f.name.clone(), v)),
            None if complete && f.required => c.fail(
                &path,
                format!("“{}”须填写“{}”", f.materials.join("、"), f.name),
            ),
            None => {}
        }
    }
    values
}

/// A field the case's materials carry, for the screen that accepts after 补正:
/// which materials carry it and whether the applicant's details answer it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldDto {
    pub name: String,
    pub required: bool,
    /// The item version's material ids that carry it.
    pub material_ids: Vec<String>,
    /// Filled from the applicant's details when left blank.
    pub known: bool,
    /// Already filled at intake.
    pub filled: bool,
}

/// Every field the materials of the item version carry (received or not).
pub fn all_fields(
    doc: &govhall_catalog::model::ItemDoc,
    case_material_ids: &[String],
    known: &Known,
    filled: &[(String, String)],
) -> Vec<FieldDto> {
    let mut out: Vec<FieldDto> = vec![];
    for m in doc
        .materials
        .iter()
        .filter(|m| case_material_ids.contains(&m.id))
    {
        for f in &m.fields {
            match out.iter_mut().find(|o| o.name == f.name) {
                Some(o) => {
                    o.required |= f.required;
                    o.material_ids.push(m.id.clone());
                }
                None => out.push(FieldDto {
                    name: f.name.clone(),
                    required: f.required,
                    material_ids: vec![m.id.clone()],
                    known: known.value(&f.name).is_some(),
                    filled: filled.iter().any(|(n, _)| n == &f.name),
                }),
            }
        }
    }
    out
}

/// A stored value as staff see it: phones and ID numbers masked.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct FormValue {
    pub name: String,
    pub value: String,
}

pub fn masked(values: Vec<(String, String)>) -> Vec<FormValue> {
    values
        .into_iter()
        .map(|(name, v)| {
            let value = if is_mobile_phone(&v) {
                mask_phone(&v)
            } else if parse_id_card(&v.to_uppercase()).is_ok() {
                mask_id_card(&v)
            } else {
                v
            };
            FormValue { name, value }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use govhall_catalog::model::MaterialField;

    fn material(name: &str, fields: &[(&str, bool)]) -> Material {
        let mut m: Material = serde_json::from_value(serde_json::json!({
            "id": name, "name": name, "material_type": "原件", "form": "纸质", "copies": 1,
            "source": "申请人自备", "necessity": "必要",
        }))
        .unwrap();
        m.fields = fields
            .iter()
            .map(|(n, r)| MaterialField {
                name: n.to_string(),
                required: *r,
            })
            .collect();
        m
    }

    fn known() -> Known<'static> {
        Known {
            name: "王小明",
            organisation: false,
            cert_no: "",
            phone: "13912345678",
            legal_rep: None,
            contact_name: "王小明",
        }
    }

    #[test]
    fn fields_are_merged_and_required_when_any_material_requires_them() {
        let a = material("申请书", &[("申请人", true), ("经营地址", false)]);
        let b = material("承诺书", &[("经营地址", true)]);
        let f = fields_of([&a, &b]);
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].name, "经营地址");
        assert!(f[1].required);
        assert_eq!(f[1].materials, vec!["申请书", "承诺书"]);
    }

    #[test]
    fn known_values_fill_in_and_required_ones_block_acceptance_only() {
        let a = material(
            "申请书",
            &[("申请人", true), ("联系电话", true), ("经营地址", true)],
        );
        let fields = fields_of([&a]);
        let mut c = Checker::new();
        let v = check(&mut c, &fields, &BTreeMap::new(), &known(), false);
        assert!(
            c.finish().is_ok(),
            "a notice may go out with the form unfinished"
        );
        assert_eq!(v.len(), 2);
        let mut c = Checker::new();
        check(&mut c, &fields, &BTreeMap::new(), &known(), true);
        let e = format!("{:?}", c.finish().unwrap_err());
        assert!(e.contains("经营地址"), "{e}");
        let typed = BTreeMap::from([("经营地址".to_string(), " 长安区韦曲街道 1 号 ".to_string())]);
        let mut c = Checker::new();
        let v = check(&mut c, &fields, &typed, &known(), true);
        assert!(c.finish().is_ok());
        assert_eq!(v[0], ("申请人".to_string(), "王小明".to_string()));
        assert_eq!(v[2].1, "长安区韦曲街道 1 号");
    }

    #[test]
    fn an_organisations_number_fills_only_its_credit_code() {
        let org = Known {
            organisation: true,
            cert_no: "91610116MA6TXXXX0X",
            ..known()
        };
        assert_eq!(org.value("身份证号"), None);
        assert_eq!(
            org.value("统一社会信用代码").as_deref(),
            Some("91610116MA6TXXXX0X")
        );
        let person = Known {
            cert_no: "610116199001011234",
            ..known()
        };
        assert_eq!(person.value("统一社会信用代码"), None);
        assert_eq!(
            person.value("身份证号").as_deref(),
            Some("610116199001011234")
        );
    }

    #[test]
    fn unknown_and_overlong_fields_are_refused() {
        let a = material("申请书", &[("经营地址", false)]);
        let fields = fields_of([&a]);
        let typed = BTreeMap::from([
            ("身高".to_string(), "180".to_string()),
            ("经营地址".to_string(), "长".repeat(201)),
        ]);
        let mut c = Checker::new();
        check(&mut c, &fields, &typed, &known(), false);
        let e = format!("{:?}", c.finish().unwrap_err());
        assert!(e.contains("身高") && e.contains("200"), "{e}");
    }

    #[test]
    fn phones_and_id_numbers_are_masked() {
        let v = masked(vec![
            ("联系电话".into(), "13912345678".into()),
            ("经营地址".into(), "长安区".into()),
        ]);
        assert_eq!(v[0].value, "139****5678");
        assert_eq!(v[1].value, "长安区");
    }
}
