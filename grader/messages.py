"""Every sentence a student reads, in English and Chinese.

Results carry :class:`~grader.results.Msg` keys; reports call :func:`render`.
Keeping the catalogue in one place keeps the two languages in step (a test
checks both have every key).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from .results import Msg, Said
from .spec import Text

__all__ = ["CATALOG", "render", "protections", "language_from_env"]

CATALOG: dict[str, dict[str, str]] = {
    # what differed
    "status": {"en": "status code", "zh": "状态码"},
    "location": {"en": "redirect target (Location)", "zh": "重定向地址（Location）"},
    "location_header": {"en": "Location header", "zh": "Location 响应头"},
    "allow": {"en": "allowed methods (Allow header)", "zh": "允许的请求方式（Allow 响应头）"},
    "header": {"en": "header {name}", "zh": "响应头 {name}"},
    "cookie": {"en": "cookie '{name}'", "zh": "cookie '{name}'"},
    "cookie_lifetime": {"en": "lifetime of cookie '{name}' (seconds)",
                        "zh": "cookie '{name}' 的有效期（秒）"},
    "cookie_should_be_set": {"en": "set by this response", "zh": "被这个响应设置"},
    "cookie_should_be_deleted": {"en": "deleted by this response", "zh": "被这个响应删除"},
    "cookie_should_be_absent": {"en": "left alone by this response",
                                "zh": "这个响应不设置也不删除它"},
    "cookie_attr": {"en": "cookie '{name}' attribute {attr}", "zh": "cookie '{name}' 的 {attr} 属性"},
    "body": {"en": "page content ({how})", "zh": "页面内容（{how}）"},
    # how a body is read before it is compared (spec: normalize), for "body"
    "body_exact": {"en": "as sent", "zh": "原样"},
    "body_whitespace": {"en": "as sent, spaces folded", "zh": "原样，空白合并"},
    "body_text": {"en": "text", "zh": "文字"},
    "body_json": {"en": "json", "zh": "JSON"},
    "body_contains": {"en": "contains", "zh": "包含"},
    "store": {"en": "server-side session store", "zh": "服务器端 session 存储"},
    "session": {"en": "session", "zh": "session"},
    "session_key": {"en": "session['{key}']", "zh": "session['{key}']"},
    "store_ttl": {"en": "lifetime of the stored session (seconds)",
                  "zh": "存储中 session 的有效期（秒）"},
    # values
    "none": {"en": "(none)", "zh": "（无）"},
    "not_json": {"en": "(not valid JSON)", "zh": "（不是合法的 JSON）"},
    "one_of": {"en": "one of {items}", "zh": "{items} 之一"},
    "flag_present": {"en": "present", "zh": "有"},
    "flag_absent": {"en": "absent", "zh": "没有"},
    "equals": {"en": "exactly “{text}”", "zh": "“{text}”（一字不差）"},
    "contains": {"en": "text containing “{text}”", "zh": "含有“{text}”的内容"},
    "not_contains": {"en": "text without “{text}”", "zh": "不含“{text}”的内容"},
    "matches": {"en": "a match for /{regex}/", "zh": "匹配 /{regex}/ 的内容"},
    "in_words": {"en": "{text}", "zh": "{text}"},
    "shape": {"en": "shaped like a {shape}", "zh": "{shape} 形式的值"},
    "differs_from_previous": {"en": "a value different from the previous answer (a new one each "
                                    "time)",
                              "zh": "与上一次不同的值（每次都应该是新的）"},
    "same_as_previous": {"en": "the previous request got exactly this answer too: the value "
                               "does not change from one request to the next",
                         "zh": "上一次请求得到的也正是这个响应：这个值在两次请求之间没有变"},
    "json_body": {"en": "a JSON body", "zh": "JSON 格式的响应"},
    "json_object": {"en": "a JSON object {…}", "zh": "JSON 对象 {…}"},
    "json_key": {"en": "JSON key \"{key}\"", "zh": "JSON 键 \"{key}\""},
    "json_key_missing": {"en": "(the key is missing)", "zh": "（没有这个键）"},
    "max_age_not_whole": {"en": "“{value}”, which browsers ignore: Max-Age is whole seconds",
                          "zh": "“{value}”，浏览器会忽略它：Max-Age 必须是整数秒"},
    "session_key_missing": {"en": "(no such key in the session)", "zh": "（session 里没有这个键）"},
    "session_key_absent": {"en": "no such key (it should be removed)",
                           "zh": "没有这个键（应当已被删除）"},
    "session_readable": {"en": "a session the grader can read", "zh": "评分器能读取的 session"},
    "session_cookie_not_flask": {
        "en": "a session cookie that is not Flask's signed session (data.timestamp.signature)",
        "zh": "一个不是 Flask 签名 session（数据.时间戳.签名）的 session cookie"},
    "session_cookie_twice": {
        "en": "two cookies named {name}, at the paths {paths}: a browser sends both where the "
              "paths meet, and which one the app reads depends on the page",
        "zh": "有两个名为 {name} 的 cookie，路径分别是 {paths}：两个路径都覆盖的页面会收到两个，"
              "应用读到哪一个取决于页面"},
    "session_too_large": {"en": "a session of over 1 MiB, more than the grader reads",
                          "zh": "超过 1 MiB 的 session，超出评分器读取的上限"},
    "session_stored_not_readable": {
        "en": "a stored session that Flask-Session's own format does not describe",
        "zh": "一个不符合 Flask-Session 自身格式的已存储 session"},
    "session_holds_object": {
        "en": "a session holding a {name} object: keep plain values (text, numbers, "
              "lists, dicts) in a session",
        "zh": "session 里存放了 {name} 对象：session 里应当只放普通的值（文本、数字、列表、字典）"},
    "session_store_unknown": {
        "en": "a session kept in a '{type}' store, which the grader does not provide "
              "(it provides redis and filesystem)",
        "zh": "session 存放在评分器不提供的“{type}”存储中（评分器提供 redis 和 filesystem）"},
    "json_equal": {"en": "JSON {json}", "zh": "JSON {json}"},
    "cookie_absent": {"en": "neither set nor deleted by this response",
                      "zh": "这个响应没有设置也没有删除它"},
    "cookie_deleted": {"en": "deleted (Path={path})", "zh": "被删除（Path={path}）"},
    "cookie_deleted_where_held": {"en": "deleted at Path={path}, where the browser holds it",
                                  "zh": "在浏览器保存它的 Path={path} 处被删除"},
    "cookie_set": {"en": "set to “{value}” ({attrs})", "zh": "被设置为“{value}”（{attrs}）"},
    "store_absent": {"en": "no entry for this session", "zh": "没有这个 session 的数据"},
    "store_present": {"en": "entry {key} (lifetime {ttl})", "zh": "有数据 {key}（有效期 {ttl}）"},
    "store_any": {"en": "an entry for this session", "zh": "有这个 session 的数据"},
    "store_under": {"en": "an entry under the prefix “{prefix}”",
                    "zh": "键以“{prefix}”开头的数据"},
    "store_elsewhere": {"en": "no entry under the expected prefix, but found {key}",
                        "zh": "前缀不对：数据存在 {key}"},
    # faults and notes
    "timeout": {"en": "the app did not answer: {message} (a view that never returns?)",
                "zh": "应用没有响应：{message}（是不是有视图函数陷入了死循环？）"},
    "crashed": {"en": "the app stopped: {message}", "zh": "应用进程意外结束：{message}"},
    # why a request got no answer (the {message} of "timeout" and "crashed")
    "fault_no_response": {"en": "no response within {seconds}s", "zh": "{seconds} 秒内没有响应"},
    "fault_gone": {"en": "the app's process had already stopped", "zh": "应用进程已经结束了"},
    "fault_protocol": {"en": "the app's process broke the protocol: {error}",
                       "zh": "应用进程违反了通信协议：{error}"},
    "fault_exit": {"en": "the app's process {how}", "zh": "应用进程{how}"},
    "exit_stopped": {"en": "stopped", "zh": "已停止"},
    "exit_signal": {"en": "was killed by {signal}", "zh": "被 {signal} 终止"},
    "exit_code": {"en": "exited with code {code}", "zh": "以退出码 {code} 退出"},
    "fault_no_restart": {"en": "it did not start again: {error}", "zh": "它没能重新启动：{error}"},
    "fault_not_recorded": {
        "en": "the reference's recorded answers do not cover this step, and it cannot be "
              "answered live in the middle of a check",
        "zh": "参考答案的录制回答没有覆盖这一步，而在检查进行到一半时无法临时现场回答"},
    "fault_reference_no_restart": {"en": "the reference did not start again",
                                   "zh": "参考答案没能重新启动"},
    "fault_unreachable": {"en": "cannot reach {url}: {error}", "zh": "无法连接 {url}：{error}"},
    "fault_bad_answer": {"en": "the server at {url} sent an answer that is not whole HTTP: {error}",
                         "zh": "{url} 的服务器发回的响应不是完整的 HTTP：{error}"},
    "child_log": {"en": "what the app printed:\n{log}", "zh": "应用输出的内容：\n{log}"},
    "view_raised": {"en": "your view raised an exception (traceback below), so Flask answered "
                          "500 Internal Server Error",
                    "zh": "你的视图函数抛出了异常（见下方 traceback），所以 Flask 返回了 "
                          "500 Internal Server Error"},
    "view_printed_too_much": {"en": "your view printed (or wrote) more than a submission may: "
                                    "the write failed, so Flask answered 500; print less",
                              "zh": "你的视图函数打印（或写出）的内容超过了允许的大小：写入失败，所以 Flask "
                                    "返回了 500；请少打印一些"},
    "view_returned_none": {"en": "your view returned None (no return statement?): a view must "
                                 "return a response, such as a string",
                           "zh": "你的视图函数返回了 None（忘了写 return？）：视图函数必须返回响应，"
                                 "例如一个字符串"},
    "view_missing_param": {"en": "the route passes <{name}> to your view, so the view function "
                                 "must take a parameter named '{name}'",
                           "zh": "路由会把 <{name}> 传给视图函数，所以视图函数必须有一个名为 "
                                 "'{name}' 的参数"},
    "raised_then_handled": {"en": "an exception was raised (traceback below) and an error handler "
                                  "answered {status}",
                            "zh": "代码抛出了异常（见下方 traceback），随后由错误处理函数返回了 {status}"},
    "probe_raised": {"en": "the grader's own view raised an exception on purpose, to reach your "
                           "500 handler; what answered was {status}",
                     "zh": "评分程序自己的视图故意抛出了一个异常，好交给你的 500 处理函数；回答它的是 {status}"},
    "raised_while_sending": {"en": "an exception was raised while the body was being sent "
                                   "(traceback below): the headers had gone out as {status}, "
                                   "so the response broke off there",
                             "zh": "发送响应内容时代码抛出了异常（见下方 traceback）：{status} "
                                   "的响应头已经发出，响应就在那里中断了"},
    "body_truncated": {"en": "the response was over the size limit and was cut off",
                       "zh": "响应内容超过大小限制，已被截断"},
    "route_slash": {"en": "you have the route {rule}: the trailing slash matters",
                    "zh": "你的路由是 {rule}：末尾的斜杠也必须一致"},
    "route_fits": {"en": "{path} fits your route {rule}, so the 404 came from that route: its "
                         "converter refused the value, or your view answered 404 itself",
                   "zh": "{path} 符合你的路由 {rule}，所以 404 来自这个路由：要么是它的转换器不接受"
                         "这个值，要么是你的视图自己返回了 404"},
    "route_case": {"en": "you have the route {rule}: paths are case-sensitive",
                   "zh": "你的路由是 {rule}：路径区分大小写"},
    "route_close": {"en": "the closest route you have is {rule}; {path} must match exactly",
                    "zh": "你最接近的路由是 {rule}；{path} 必须完全一致"},
    "routes_none": {"en": "your app has no routes at all: are the routes on the blueprint "
                          "(@blue.route), not on an app object?",
                    "zh": "你的应用一个路由都没有：路由是不是写在了 app 上，而不是蓝图上"
                          "（应该用 @blue.route）？"},
    "routes_listed": {"en": "no route of yours matches; your routes: {routes}",
                      "zh": "你的路由都不匹配；你的路由有：{routes}"},
    # could not grade
    "reference_fault": {"en": "the reference solution failed here ({message}); this is a fault "
                              "of the exercise, not yours",
                        "zh": "参考答案在这里出错了（{message}）；这是练习本身的问题，不是你的错"},
    "reference_raised": {"en": "the reference solution raised an exception; this is a fault of "
                               "the exercise, not yours\n{traceback}",
                         "zh": "参考答案抛出了异常；这是练习本身的问题，不是你的错\n{traceback}"},
    "reference_not_json": {"en": "the exercise compares JSON, but the reference's body is not "
                                 "JSON (after masking); tell your instructor",
                           "zh": "练习要比较 JSON，但参考答案的响应（遮盖后）不是 JSON；请告诉老师"},
    "reference_disagrees": {"en": "the exercise's own expectation fails on the reference ({what}: "
                                  "expected {expected}, reference gave {actual}); tell your "
                                  "instructor",
                            "zh": "练习的预期在参考答案上也不成立（{what}：应为 {expected}，参考答案为 "
                                  "{actual}）；请告诉老师"},
    "redis_needed": {"en": "not graded: {message}", "zh": "无法评分：{message}"},
    "cannot_restart_live": {"en": "not graded: this check restarts the app, which cannot be done "
                                  "to a server given by --url; grade without --url",
                            "zh": "无法评分：这个检查需要重启应用，而 --url 指定的服务器无法由评分器重启；"
                                  "请不带 --url 评分"},
    "cannot_read_session_live": {"en": "not graded: this check reads the session, which a "
                                       "server given by --url keeps where the grader cannot see "
                                       "(not in Flask's signed cookie)",
                                 "zh": "无法评分：这个检查需要读取 session，而 --url 指定的服务器"
                                       "把它存放在评分器看不到的地方（不在 Flask 签名的 cookie 里）"},
    "cannot_inspect_live": {"en": "not graded: this check looks into the session store, which "
                                  "cannot be done for a server given by --url",
                            "zh": "无法评分：这个检查需要查看 session 存储，--url 指定的服务器无法做到"},
    "cannot_probe_live": {"en": "not graded: this step asks a view the grader adds to your "
                                "blueprint, which a server given by --url does not have",
                          "zh": "无法评分：这一步请求的是评分程序加在你蓝图上的视图，--url 指定的服务器没有它"},
    "cannot_remote_addr_live": {"en": "not graded: this check sends from another client address, "
                                      "which cannot be done over --url",
                                "zh": "无法评分：这个检查需要模拟另一个客户端地址，--url 模式下做不到"},
    "linked_outside": {"en": "{file} is a link to a file outside your folder, which is not copied "
                             "for grading: hand in the file itself",
                       "zh": "{file} 是指向你文件夹之外的链接，评分时不会复制它：请提交文件本身"},
    "live_server_error": {"en": "your server answered 500 Internal Server Error: the traceback is "
                                "in the console where it runs (over --url the grader sees only "
                                "the answers)",
                          "zh": "你的服务器返回了 500 Internal Server Error：traceback 在运行它的终端里"
                                "（使用 --url 时评分器只能看到响应）"},
    "live_no_random_prefix": {"en": "this exercise mounts your blueprint under a random prefix to "
                                    "catch hard-coded URLs; a server given by --url cannot have "
                                    "one, so hard-coded URLs are not caught here",
                              "zh": "这个练习会把蓝图挂在随机前缀下，以发现写死的 URL；--url 指定的服务器"
                                    "没有这个前缀，所以这里发现不了写死的 URL"},
    "other_file_name": {"en": "you handed in {given}, but this exercise's file is {wanted}: "
                              "is it the right exercise?",
                        "zh": "你交的是 {given}，但这个练习的文件是 {wanted}：是不是选错了练习？"},
    "confinement_missing": {"en": "your code ran without: {what} (not available on this system, "
                                  "or as the grader was started); the grade is the same, only "
                                  "the protection is weaker",
                            "zh": "你的代码在运行时缺少这些防护：{what}（当前系统或当前的启动方式不支持）；"
                                  "分数不受影响，只是防护较弱"},
    "other_candidates": {"en": "{graded} is graded; {others} is not (only one file of an "
                               "exercise counts: the one at the top of the folder first)",
                         "zh": "评分的是 {graded}，不是 {others}（一个练习只算一个文件：优先取文件夹最外层的）"},
    "limits_missing": {"en": "this platform cannot apply these limits to your code: {limits}",
                       "zh": "当前平台无法对你的代码施加这些限制：{limits}"},
    # what a child can go without (see protections()), named in each language
    "protection_network": {"en": "network isolation", "zh": "网络隔离"},
    "protection_processes": {"en": "process namespace", "zh": "进程命名空间"},
    "protection_filesystem": {"en": "private filesystem", "zh": "私有文件系统"},
    "protection_process_cap": {"en": "process cap", "zh": "进程数上限"},
    "protection_total_memory": {"en": "total memory cap", "zh": "内存总量上限"},
    "protection_unprivileged": {"en": "an unprivileged user", "zh": "以无特权用户运行"},
    "protection_disk_quota": {"en": "disk quota", "zh": "磁盘配额"},
    "protection_turned_off": {"en": "confinement (turned off)", "zh": "隔离（已关闭）"},
    "limit_cpu_time": {"en": "CPU time", "zh": "CPU 时间"},
    "limit_memory": {"en": "memory", "zh": "内存"},
    "limit_file_size": {"en": "file size", "zh": "文件大小"},
    "reference_replay_diverged": {
        "en": "not graded: the reference's recorded answers do not cover this step "
              "(a limit of the grader, not your doing; grade this exercise alone to see it)",
        "zh": "无法评分：参考答案的录制回答没有覆盖这一步（这是评分器的局限，与你的代码无关；"
              "单独评分这个练习可以看到结果）"},
    "reference_not_loaded": {"en": "not graded: the reference solution did not load ({message})",
                             "zh": "无法评分：参考答案无法加载（{message}）"},
    "reference_not_loaded_at": {"en": "not graded: the reference solution did not load "
                                      "({message}, at {where})",
                                "zh": "无法评分：参考答案无法加载（{message}，位置 {where}）"},
    # report chrome
    "passed": {"en": "passed", "zh": "通过"},
    "failed": {"en": "failed", "zh": "未通过"},
    "error": {"en": "not graded", "zh": "无法评分"},
    "step": {"en": "step {n}", "zh": "第 {n} 步"},
    # what a request sent beside its path, in a report's request line
    "request_form": {"en": "form", "zh": "表单"},
    "request_json": {"en": "JSON", "zh": "JSON"},
    "request_client": {"en": "client", "zh": "客户端"},
    "sent": {"en": "sent", "zh": "发送"},
    "reference_answered": {"en": "reference answered", "zh": "参考答案的响应"},
    "you_answered": {"en": "yours answered", "zh": "你的响应"},
    "finding": {"en": "{what}: expected {expected}, got {actual}",
                "zh": "{what}：应为 {expected}；实际：{actual}"},
    "hint": {"en": "hint", "zh": "提示"},
    "total": {"en": "Total", "zh": "总分"},
    "location_off_site": {
        "en": "this address leaves the site the request went to ({site}); a redirect within "
              "the app names a path, as url_for gives it",
        "zh": "这个地址离开了请求所在的网站（{site}）；应用内的重定向应当写路径，url_for 给出的就是路径"},
    "session_holds": {"en": "the session holds: {keys}; the statement names the key to use",
                      "zh": "session 里有这些键：{keys}；键名要和题目说的一致"},
    "cookie_not_sent_path": {"en": "your `{name}` cookie was not sent with this request: it was set "
                                   "with Path={path}, which does not cover {request} (leave the "
                                   "path out: set_cookie's default is /)",
                             "zh": "这次请求没有带上你的 `{name}` cookie：它设置时的 Path={path} "
                                   "不包括 {request}（不写 path：set_cookie 默认就是 /）"},
    "cookie_not_sent_default_path": {
        "en": "your `{name}` cookie was not sent with this request: it came without a Path, so "
              "the browser keeps it for {path}, the folder of the page that set it, which does "
              "not cover {request} (path=None does this; leave path out and Flask sends Path=/)",
        "zh": "这次请求没有带上你的 `{name}` cookie：它没有 Path，浏览器就只在设置它的页面所在的 "
              "{path} 下发送它，不包括 {request}（path=None 会这样；不写 path，Flask 会发送 Path=/）"},
    "cookie_not_sent_expired": {"en": "your `{name}` cookie was not sent with this request: it "
                                      "had already expired (look at its max_age or expires)",
                                "zh": "这次请求没有带上你的 `{name}` cookie：它已经过期了"
                                      "（检查 max_age 或 expires）"},
    "your_traceback": {"en": "your traceback", "zh": "你的 traceback"},
    "you_printed": {"en": "your code printed", "zh": "你的代码打印了"},
    "body_diff": {"en": "body diff (- reference, + yours)", "zh": "页面差异（- 参考答案，+ 你的）"},
    "restart": {"en": "restart the app", "zh": "重启应用"},
    "not_loaded": {"en": "Your submission could not be loaded: {message}",
                   "zh": "你的提交无法加载：{message}"},
    "not_loaded_where": {"en": "at {where}", "zh": "位置：{where}"},
    "load_copy": {"en": "the submission could not be copied for grading: {error}",
                  "zh": "无法复制提交用于评分：{error}"},
    "load_copy_limit": {
        "en": "your folder holds over {limit} {what}, more than is copied for grading; most of it "
              "is in {largest}: leave out what does not belong to the submission (data, a copy of "
              "the course, an environment)",
        "zh": "你的文件夹超过 {limit} {what}，超出了评分时复制的上限；大部分在 {largest} 里："
              "请去掉不属于提交的内容（数据、课程资料的副本、运行环境等）"},
    "load_copy_count": {
        "en": "your folder holds over {limit} {what}, more than is copied for grading (many of "
              "them in {largest}): leave out what does not belong to the submission (data, a "
              "copy of the course, an environment)",
        "zh": "你的文件夹超过 {limit} {what}，超出了评分时复制的上限（其中很多在 {largest} 里）："
              "请去掉不属于提交的内容（数据、课程资料的副本、运行环境等）"},
    "copy_limit_entries": {"en": "entries", "zh": "个条目"},
    "copy_limit_mib": {"en": "MiB", "zh": "MiB"},
    "copy_limit_files": {"en": "files", "zh": "个文件"},
    "copy_limit_folders": {"en": "folders", "zh": "个文件夹"},
    "not_loaded_hint_copy": {"en": "Fix this first: no check can run until your folder can be "
                                   "copied for grading.",
                             "zh": "请先修正这个问题：你的文件夹能被复制用于评分之后，检查才能运行。"},
    "load_syntax": {"en": "syntax error: {error}", "zh": "语法错误：{error}"},
    "load_import": {"en": "cannot import the module '{name}'", "zh": "无法导入模块 '{name}'"},
    "obsolete_flask_script": {"en": "the 'flask' command (flask --app ... run)",
                              "zh": "flask 命令（flask --app ... run）"},
    "obsolete_flask_blueprint": {"en": "flask.Blueprint", "zh": "flask.Blueprint"},
    "load_obsolete": {"en": "cannot import '{name}': it is obsolete and not installed; use {use}",
                      "zh": "无法导入 '{name}'：它已经过时，没有安装；请改用 {use}"},
    "load_exception": {"en": "the module raised {error} while loading",
                       "zh": "模块加载时抛出了 {error}"},
    "load_too_large": {"en": "while loading, the module wrote more than a submission may "
                             "(what it prints counts too): print less ({error})",
                       "zh": "模块加载时写出的内容超过了允许的大小（打印的内容也算在内）：请少打印一些"
                             "（{error}）"},
    "load_exit": {"en": "the code called sys.exit({code}) while loading",
                  "zh": "代码在加载时调用了 sys.exit({code})"},
    "load_no_blueprint": {"en": "{file} has no variable '{name}' holding the Blueprint",
                          "zh": "{file} 中没有名为 '{name}' 的蓝图变量"},
    "load_blueprint_elsewhere": {"en": "{file} has no variable '{name}'; your Blueprint is called "
                                       "'{found}': rename it to '{name}'",
                                 "zh": "{file} 中没有变量 '{name}'；你的蓝图叫 '{found}'，"
                                       "请改名为 '{name}'"},
    "load_not_blueprint": {"en": "in {file}, '{name}' is a {type}, not a flask.Blueprint",
                           "zh": "{file} 中的 '{name}' 是 {type}，不是 flask.Blueprint"},
    "load_no_hook": {"en": "no function '{name}' in {module} or its package",
                     "zh": "在 {module} 及其包中找不到函数 '{name}'"},
    "load_hook_raised": {"en": "{name}() raised {error}", "zh": "{name}() 抛出了 {error}"},
    "load_bad_factory": {"en": "{name}() returned a {type}, not a Flask app",
                         "zh": "{name}() 返回的是 {type}，不是 Flask 应用"},
    "load_register_failed": {"en": "registering the blueprint failed: {error}",
                             "zh": "注册蓝图失败：{error}"},
    "load_store": {"en": "the session store could not be set up: {error}",
                   "zh": "无法设置 session 存储：{error}"},
    "load_timeout": {"en": "loading took longer than {seconds}s (a loop at import time, or "
                           "app.run() outside `if __name__ == '__main__':`?)",
                     "zh": "加载超过了 {seconds} 秒（模块顶层是不是有死循环，或者 app.run() "
                           "没有放在 `if __name__ == '__main__':` 下面？）"},
    "load_crashed": {"en": "the process stopped while loading: {message}",
                     "zh": "加载时进程意外结束：{message}"},
    "load_unknown": {"en": "the submission could not be loaded ({kind})",
                     "zh": "提交无法加载（{kind}）"},
    "not_loaded_hint": {"en": "Fix this first: no check can run until the module imports and "
                              "defines the blueprint.",
                        "zh": "请先修正这个问题：模块能正常导入并定义好蓝图之后，检查才能运行。"},
    "summary": {"en": "{passed} passed, {failed} failed, {error} not graded",
                "zh": "{passed} 项通过，{failed} 项未通过，{error} 项无法评分"},
    "grading": {"en": "Grading {exercise} — {title}", "zh": "评分 {exercise} — {title}"},
    "show_footer": {"en": "{checks} checks, {points} points", "zh": "{checks} 项检查，共 {points} 分"},
    "submission": {"en": "submission: {path}", "zh": "提交：{path}"},
    # grade ci: the summary, annotations and log lines (see grader.ci.words.say)
    "ci_heading": {"en": "Grading results", "zh": "评分结果"},
    "ci_col_exercise": {"en": "exercise", "zh": "练习"},
    "ci_col_score": {"en": "score", "zh": "得分"},
    "ci_col_checks": {"en": "checks passed", "zh": "通过的检查"},
    "ci_total": {"en": "Total", "zh": "总分"},
    "ci_cell_not_loaded": {"en": "not loaded", "zh": "无法加载"},
    "ci_cell_missing": {"en": "file missing", "zh": "缺少文件"},
    "ci_failed_heading": {"en": "What to fix", "zh": "需要修正的地方"},
    "ci_not_graded_heading": {"en": "Not graded", "zh": "无法评分"},
    "ci_not_graded_note": {"en": "These checks could not be graded. This is not your fault: "
                              "tell your instructor.",
                        "zh": "这些检查无法评分。这不是你的问题，请告诉老师。"},
    "ci_all_full": {"en": "Every check passed.", "zh": "所有检查都通过了。"},
    "ci_truncated": {"en": "{count} more failed checks are not shown here: see the job log or "
                        "the JUnit report.",
                  "zh": "还有 {count} 项未通过的检查没有显示在这里：请查看任务日志或 JUnit 报告。"},
    "ci_check_failed": {"en": "{exercise} › {check}: {title}", "zh": "{exercise} › {check}：{title}"},
    "ci_not_loaded_title": {"en": "{exercise}: your submission could not be loaded",
                         "zh": "{exercise}：你的提交无法加载"},
    "ci_missing_title": {"en": "{exercise}: no submission", "zh": "{exercise}：没有提交"},
    "ci_not_graded_title": {"en": "{exercise} › {check}: not graded",
                         "zh": "{exercise} › {check}：无法评分"},
    "ci_none_present": {"en": "no exercise's file in {root} (nor in a package folder inside it); "
                           "expected one of: {files}",
                     "zh": "{root} 中（及其中的包文件夹中）没有任何练习的文件；"
                           "应当是其中之一：{files}"},
    "ci_none_title": {"en": "nothing to grade", "zh": "没有可以评分的文件"},
    "ci_missing": {"en": "there is no {file} in the repository (nor in a package folder inside "
                         "it): write your solution in {file}",
                   "zh": "仓库里（及其中的包文件夹里）没有 {file}：请把你的答案写在 {file} 里"},
    "ci_missing_near": {"en": "there is no {file} in the repository (nor in a package folder "
                              "inside it); found {found}, but the file must be named {file} "
                              "exactly and be at the top, or in a package folder (one with "
                              "__init__.py) directly inside the top",
                        "zh": "仓库里（及其中的包文件夹里）没有 {file}；找到了 {found}，但文件名必须正好是 "
                              "{file}，并且放在最外层，或最外层下一级的包文件夹（含有 __init__.py 的文件夹）里"},
    "ci_log_total": {"en": "grade ci: {count} exercises, {score} / {max} points, exit code {code}",
                  "zh": "grade ci：{count} 个练习，{score} / {max} 分，退出码 {code}"},
    "ci_log_total_one": {"en": "grade ci: 1 exercise, {score} / {max} points, exit code {code}",
                         "zh": "grade ci：1 个练习，{score} / {max} 分，退出码 {code}"},
    # grade batch: what a student's feedback says when there is no grade
    "batch_not_submitted": {
        "en": "Not submitted: there is no {file} in your folder (nor in a package folder "
              "inside it).",
        "zh": "未提交：你的文件夹里没有 {file}（包文件夹里也没有）。"},
    "batch_not_submitted_near": {
        "en": "Not submitted: there is no {file} in your folder (nor in a package folder "
              "inside it). Found {found}, but the file must be named {file} exactly and be at "
              "the top of your folder, or in a package folder (one with __init__.py) directly "
              "inside it.",
        "zh": "未提交：你的文件夹里没有 {file}（包文件夹里也没有）。找到了 {found}，但文件名必须"
              "正好是 {file}，并且放在文件夹最外层，或最外层下一级的包文件夹（含有 __init__.py 的文件夹）里。"},
    "batch_not_graded": {
        "en": "Not graded: the grader failed on this submission through no fault of yours; "
              "your instructor will look into it.",
        "zh": "无法评分：评分器在处理这份提交时出了问题，这不是你的错；老师会处理。"},
    # grade batch on the terminal: the progress bar and the summary
    "batch_progress": {
        "en": "grading {bar} {done}/{total}{cached}  {rate}/s  {elapsed} elapsed, {eta} left",
        "zh": "评分中 {bar} {done}/{total}{cached}  {rate}/秒  已用 {elapsed}，还需 {eta}"},
    "batch_progress_cached": {"en": " ({n} cached)", "zh": "（{n} 个来自缓存）"},
    "batch_summary": {"en": "{students} × {exercises}: {counts}",
                      "zh": "{students} × {exercises}：{counts}"},
    "batch_students": {"en": "{n} students", "zh": "{n} 名学生"},
    "batch_students_one": {"en": "1 student", "zh": "1 名学生"},
    "batch_exercises": {"en": "{n} exercises", "zh": "{n} 个练习"},
    "batch_exercises_one": {"en": "1 exercise", "zh": "1 个练习"},
    "batch_count_graded": {"en": "{n} graded", "zh": "{n} 份已评分"},
    "batch_count_not_loaded": {"en": "{n} did not load (scored 0)",
                               "zh": "{n} 份无法加载（记 0 分）"},
    "batch_output_folders": {"en": "not graded, holding the outputs of grade batch (.grade-batch): "
                                   "{which}",
                             "zh": "以下文件夹存有 grade batch 的输出（.grade-batch），没有当作学生评分：{which}"},
    "batch_count_not_submitted": {"en": "{n} not submitted", "zh": "{n} 份未提交"},
    "batch_count_error": {"en": "{n} could not be graded", "zh": "{n} 份无法评分"},
    "batch_summary_time": {
        "en": "{graded} run now, {cached} taken from the cache, in {seconds}s",
        "zh": "本次评分 {graded}，从缓存取得 {cached}，用时 {seconds} 秒"},
    "batch_submissions": {"en": "{n} submissions", "zh": "{n} 份"},
    "batch_submissions_one": {"en": "1 submission", "zh": "1 份"},
    "batch_results": {"en": "{n} results", "zh": "{n} 份"},
    "batch_results_one": {"en": "1 result", "zh": "1 份"},
    "batch_summary_wrote": {
        "en": "wrote {out}: gradebook.csv, results.json, report.html, changes.csv, feedback/",
        "zh": "已写入 {out}：gradebook.csv、results.json、report.html、changes.csv、feedback/"},
    "batch_summary_errors": {"en": "could not be graded (see report.html): {which}",
                             "zh": "无法评分（见 report.html）：{which}"},
    "batch_no_changes": {"en": "no grade changed since the last run",
                         "zh": "与上次运行相比，没有成绩变化"},
    "batch_previous_unreadable": {
        "en": "the last run's {path} could not be read ({error}): no change is reported",
        "zh": "无法读取上次运行的 {path}（{error}）：不报告成绩变化"},
    "batch_unmatched": {"en": "not compared, being in only one of the two runs (exercises or "
                              "students): {which}",
                        "zh": "只出现在其中一次运行里的练习或学生，没有比较：{which}"},
    "batch_changes": {"en": "grades changed since the last run (changes.csv):",
                      "zh": "与上次运行相比，这些成绩变了（changes.csv）："},
    "batch_interrupted": {
        "en": "interrupted: every result graded so far is kept in {cache}; run the same "
              "command again to resume",
        "zh": "已中断：已评分的结果都保存在 {cache}；再次运行同一条命令即可接着评分"},
    # the class report (report.html)
    "html_title": {"en": "Class report: {folder}", "zh": "班级报告：{folder}"},
    "html_heading": {"en": "Class report", "zh": "班级报告"},
    "html_subtitle": {"en": "{students} students · {exercises} exercises · {points} points in all",
                      "zh": "{students} 名学生 · {exercises} 个练习 · 共 {points} 分"},
    "html_graded": {"en": "graded", "zh": "已评分"},
    "html_not_loaded": {"en": "did not load (scored 0)", "zh": "无法加载（记 0 分）"},
    "html_did_not_load": {"en": "did not load", "zh": "无法加载"},
    "html_not_submitted": {"en": "not submitted", "zh": "未提交"},
    "html_not_graded": {"en": "could not be graded", "zh": "无法评分"},
    "html_error_cell": {"en": "error", "zh": "无法评分"},
    "html_gradebook": {"en": "Gradebook", "zh": "成绩表"},
    "html_distribution": {"en": "Score distribution", "zh": "分数分布"},
    "html_most_failed": {"en": "Most often failed", "zh": "最常失败"},
    "html_most_failed_heading": {"en": "Checks most often failed", "zh": "最常失败的检查"},
    "html_students": {"en": "Students", "zh": "学生"},
    "html_student": {"en": "student", "zh": "学生"},
    "html_exercise": {"en": "exercise", "zh": "练习"},
    "html_check": {"en": "check", "zh": "检查"},
    "html_failed_by": {"en": "failed by", "zh": "失败人数"},
    "html_who_failed": {"en": "students", "zh": "学生"},
    "html_total": {"en": "total", "zh": "总分"},
    "html_points": {"en": "{points} pts", "zh": "{points} 分"},
    "html_distribution_of": {"en": "score distribution of {exercise}",
                             "zh": "{exercise} 的分数分布"},
    "html_bar": {"en": "{count} with {points} points", "zh": "{count} 人得 {points} 分"},
    "html_facts": {"en": "{scored} scored · mean {mean} · median {median}",
                   "zh": "{scored} 人得分 · 平均 {mean} · 中位数 {median}"},
    "html_failed_note": {
        "en": "Counted over fully graded submissions; a submission that did not load is left "
              "out (it fails every check at once).",
        "zh": "只统计完整评分的提交；无法加载的提交不计入（它会一次性失败所有检查）。"},
    "html_none_failed": {"en": "No graded submission failed a check.",
                         "zh": "没有已评分的提交失败任何检查。"},
    "html_grader_failed": {"en": "what failed in the grader", "zh": "评分器出了什么问题"},
    "html_reference_answered": {"en": "reference answered", "zh": "参考答案的回答"},
    "html_submission_answered": {"en": "submission answered", "zh": "提交的回答"},
    "html_submission_printed": {"en": "submission printed", "zh": "提交的代码打印了"},
}


#: the protections and limits a child can go without, by the names the grader
#: gives them where it finds them missing (see grader.confine, grader.processes)
_PROTECTIONS = {
    "network isolation": "protection_network",
    "process namespace": "protection_processes",
    "private filesystem": "protection_filesystem",
    "process cap": "protection_process_cap",
    "total memory cap": "protection_total_memory",
    "unprivileged user": "protection_unprivileged",
    "disk quota": "protection_disk_quota",
    "confinement (turned off)": "protection_turned_off",
    "CPU time": "limit_cpu_time",
    "memory": "limit_memory",
    "file size": "limit_file_size",
}


def protections(names: Iterable[str]) -> tuple[Said, ...]:
    """Protections or limits by name, as a parameter each language words (and
    lists) its own way; a name without words of its own is shown as it is."""
    return tuple(Msg(_PROTECTIONS[name]) if name in _PROTECTIONS else name for name in names)


def render(said: Any, lang: str) -> str:
    """Render a :class:`Msg` (or plain text) in ``lang`` ('zh' or 'en'); a
    tuple (of either) is rendered as a list."""
    if said is None:
        return ""
    if isinstance(said, tuple):
        return ("、" if lang == "zh" else ", ").join(render(item, lang) for item in said)
    if isinstance(said, Text):  # a spec's own words, in both languages
        return said.get(lang)
    if not isinstance(said, Msg):
        return str(said)
    entry = CATALOG.get(said.key)
    if entry is None:  # pragma: no cover - a test keeps the catalogue complete
        return said.key
    params = _Params({k: render(v, lang) for k, v in said.params.items()})
    return entry["zh" if lang == "zh" else "en"].format_map(params)


class _Params(dict):
    """Missing parameters read as '?': a message must never crash a report."""

    def __missing__(self, key: str) -> str:
        return "?"


def language_from_env(environ: dict[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
