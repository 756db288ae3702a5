//! Page presenters (server only): build each page's view data from service
//! calls, and turn its forms into service calls. The rules stay in the service.

pub mod admin;
pub mod admin_routing;
pub mod admin_webhooks;
pub mod bulk;
pub mod clock;
pub mod decide_link;
pub mod history;
pub mod inbox;
pub mod mobile;
pub mod names;
pub mod routing_forms;
pub mod settings;
pub mod similar;
pub mod timeline;
