// 驳回原因模板 (#22): picking a kept reason puts it in the reason box, where the reviewer may
// edit it before deciding. Without JavaScript the list is simply not shown.
document.querySelectorAll("[data-reason-templates]").forEach((select) => {
  select.closest("[data-reason-templates-row]").hidden = false;
  const box = document.getElementById(select.dataset.reasonTemplates);
  select.addEventListener("change", () => {
    if (select.value && box) {
      box.value = select.value;
      box.focus();
    }
  });
});
