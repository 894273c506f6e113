/* The candidate's login page: sitting, candidate number and access code. */
"use strict";
(function () {
  const form = document.getElementById("login");
  const message = document.getElementById("message");
  const sitting = document.getElementById("sitting");
  const params = new URLSearchParams(location.search);
  if (params.get("sitting")) sitting.value = params.get("sitting");
  (params.get("sitting") ? document.getElementById("number") : sitting).focus();

  KS.api("GET", "/api/session").then(function (r) {
    if (r.status === 200 && r.body.kind === "candidate") location.replace("/exam");
  }).catch(function () {});

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    const body = {
      sitting: sitting.value.trim(),
      number: document.getElementById("number").value.trim(),
      code: document.getElementById("code").value.trim(),
    };
    if (!body.sitting || !body.number || !body.code) {
      message.textContent = "请填写考场、考生号和准入码";
      return;
    }
    const button = form.querySelector("button");
    button.disabled = true;
    message.textContent = "";
    KS.api("POST", "/api/login", body).then(function (r) {
      if (r.status === 200) {
        location.replace("/exam");
        return;
      }
      message.textContent = r.body.message || "登录失败";
      button.disabled = false;
    }).catch(function () {
      message.textContent = "无法连接服务器，请检查网络后重试";
      button.disabled = false;
    });
  });
})();
